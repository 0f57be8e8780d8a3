"""Scorer transports without sockets: HTTP through the ASGI app, SageMaker through a Stubber."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest
from botocore.response import StreamingBody
from botocore.stub import Stubber
from starlette.testclient import TestClient

from api.backends import build_row_scorer as build_scorer  # the root picks the transport
from core.config import Settings
from core.errors import NotFound, UpstreamUnavailable
from scoring.client import (
    HttpScorer,
    InProcessScorer,
    RetryPolicy,
    SageMakerScorer,
    Scorer,
    ScoringRejected,
)
from scoring.datasets import Dataset
from scoring.model import LoadedModel
from scoring.server.app import create_app
from scoring.server.loading import ModelState
from scoring.server.validation import FeatureSchema

FAST = RetryPolicy(attempts=3, backoff=0.0, max_backoff=0.0)
PRED = {
    "probability_of_default": 0.2,
    "risk_tier": "D",
    "model_version": "m1",
    "decision": "decline",
}


@pytest.fixture(scope="module")
def rows(small_dataset: Dataset) -> list[dict[str, Any]]:
    return [
        {k: (v.item() if hasattr(v, "item") else v) for k, v in r.items()}
        for r in small_dataset.X.iloc[:4].to_dict("records")
    ]


@pytest.fixture(scope="module")
def asgi(champion: LoadedModel) -> Any:
    state = ModelState(Path("."), champion, FeatureSchema.from_model(champion))
    return TestClient(create_app(state))


def scripted(*responses: httpx.Response | Exception) -> tuple[httpx.Client, list[httpx.Request]]:
    """An httpx client answering from a script (httpx's own MockTransport), recording requests."""
    seen: list[httpx.Request] = []
    script = list(responses)

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        item = script.pop(0)
        if isinstance(item, Exception):
            raise item
        return item

    return httpx.Client(transport=httpx.MockTransport(handle)), seen


def test_every_transport_is_a_scorer(champion: LoadedModel) -> None:
    scorers: list[Scorer] = [InProcessScorer(champion), HttpScorer("http://x"),
                             SageMakerScorer("e", client=object())]  # fmt: skip
    assert all(callable(s.score) for s in scorers)


def test_in_process_validates_like_the_server(
    champion: LoadedModel, rows: list[dict[str, Any]]
) -> None:
    scorer = InProcessScorer(champion)
    got = scorer.score(rows, explain=True)
    assert got == champion.score(rows, explain=True)
    with pytest.raises(ScoringRejected) as info:
        scorer.score([rows[0], {**rows[1], "credit_score": 12}])
    assert (info.value.row, info.value.field) == (1, "credit_score")
    with pytest.raises(ScoringRejected):
        scorer.score([])


def test_http_matches_in_process(
    asgi: Any, champion: LoadedModel, rows: list[dict[str, Any]]
) -> None:
    scorer = HttpScorer("http://testserver", client=asgi)
    remote = scorer.score(rows, explain=True)
    local = InProcessScorer(champion).score(rows, explain=True)
    assert [r.risk_tier for r in remote] == [r.risk_tier for r in local]
    for a, b in zip(remote, local, strict=True):
        assert a.probability_of_default == pytest.approx(b.probability_of_default, abs=1e-12)
        assert [x.code for x in a.reasons or []] == [x.code for x in b.reasons or []]
    assert scorer.score(rows[:1])[0].contributions is None


def test_http_4xx_is_a_typed_rejection(asgi: Any, rows: list[dict[str, Any]]) -> None:
    scorer = HttpScorer("http://testserver", client=asgi, retry=FAST)
    with pytest.raises(ScoringRejected) as info:
        scorer.score([rows[0], {**rows[1], "loan_purpose": "Yacht"}])
    err = info.value
    assert err.status == 400 and err.row == 1 and err.field == "loan_purpose"
    assert "Yacht" in err.message and err.request_id and err.request_id.startswith("req_")


def test_decimals_are_sent_as_numbers(rows: list[dict[str, Any]]) -> None:
    ok = httpx.Response(200, json={"predictions": [PRED]})
    client, seen = scripted(ok)
    HttpScorer("http://x", client=client).score([{**rows[0], "annual_income": Decimal("5.5")}])
    sent = json.loads(seen[0].content)
    assert sent["instances"][0]["annual_income"] == 5.5 and sent["explain"] is False
    assert seen[0].headers["x-request-id"].startswith("req_")


def test_transient_failures_are_retried_then_succeed(rows: list[dict[str, Any]]) -> None:
    ok = httpx.Response(200, json={"predictions": [PRED]})
    client, seen = scripted(httpx.ConnectError("refused"), httpx.Response(503), ok)
    result = HttpScorer("http://x", client=client, retry=FAST).score(rows[:1])
    assert result[0].risk_tier == "D" and len(seen) == 3
    ids = {r.headers["x-request-id"] for r in seen}
    assert len(ids) == 1  # one logical request, one id across attempts


def test_retries_give_up_with_upstream_unavailable(rows: list[dict[str, Any]]) -> None:
    client, seen = scripted(*(httpx.Response(503) for _ in range(3)))
    with pytest.raises(UpstreamUnavailable, match="after 3 attempt"):
        HttpScorer("http://x", client=client, retry=FAST).score(rows[:1])
    assert len(seen) == 3


@pytest.mark.parametrize("status", [400, 413, 500])
def test_non_transient_errors_are_not_retried(rows: list[dict[str, Any]], status: int) -> None:
    client, seen = scripted(httpx.Response(status, text="nope"), httpx.Response(200))
    with pytest.raises(ScoringRejected if status < 500 else UpstreamUnavailable):
        HttpScorer("http://x", client=client, retry=FAST).score(rows[:1])
    assert len(seen) == 1


def test_a_short_or_garbled_response_is_an_upstream_error(rows: list[dict[str, Any]]) -> None:
    client, _ = scripted(
        httpx.Response(200, json={"predictions": []}), httpx.Response(200, text="?")
    )
    scorer = HttpScorer("http://x", client=client, retry=RetryPolicy(attempts=1))
    with pytest.raises(UpstreamUnavailable, match="0 results for 1 rows"):
        scorer.score(rows[:1])
    with pytest.raises(UpstreamUnavailable, match="unreadable"):
        scorer.score(rows[:1])


def sagemaker() -> tuple[SageMakerScorer, Stubber]:
    client = boto3.client("sagemaker-runtime", region_name="us-east-1",
                          aws_access_key_id="test", aws_secret_access_key="test")  # fmt: skip
    return SageMakerScorer("credit", client=client, retry=FAST), Stubber(client)


def body(payload: dict[str, Any]) -> StreamingBody:
    raw = json.dumps(payload).encode()
    return StreamingBody(io.BytesIO(raw), len(raw))


PRED = {
    "probability_of_default": 0.2,
    "risk_tier": "D",
    "model_version": "m1",
    "decision": "decline",
}


def test_sagemaker_sends_explain_as_custom_attribute(rows: list[dict[str, Any]]) -> None:
    scorer, stub = sagemaker()
    expected = {"EndpointName": "credit", "Body": stub_any(), "ContentType": "application/json",
                "Accept": "application/json", "CustomAttributes": "explain=true",
                "InferenceId": stub_any()}  # fmt: skip
    stub.add_response("invoke_endpoint", {"Body": body({"predictions": [PRED]})}, expected)
    with stub:
        assert scorer.score(rows[:1], explain=True)[0].risk_tier == "D"
    stub.assert_no_pending_responses()


def test_sagemaker_model_error_4xx_is_a_rejection(rows: list[dict[str, Any]]) -> None:
    scorer, stub = sagemaker()
    problem = {"detail": "row 0: credit_score 9 must be at least 300",
               "errors": [{"row": 0, "field": "credit_score", "message": "..."}]}  # fmt: skip
    stub.add_client_error("invoke_endpoint", "ModelError", "Received client error (400)", 424,
                          modeled_fields={"OriginalStatusCode": 400,
                                          "OriginalMessage": json.dumps(problem)})  # fmt: skip
    with stub, pytest.raises(ScoringRejected) as info:
        scorer.score(rows[:1])
    assert (info.value.status, info.value.row, info.value.field) == (400, 0, "credit_score")
    assert "at least 300" in info.value.message


def test_sagemaker_throttling_and_5xx_model_errors_are_retried(rows: list[dict[str, Any]]) -> None:
    scorer, stub = sagemaker()
    stub.add_client_error("invoke_endpoint", "ThrottlingException", "slow down", 400)
    stub.add_client_error("invoke_endpoint", "ModelError", "boom", 424,
                          modeled_fields={"OriginalStatusCode": 503})  # fmt: skip
    stub.add_response("invoke_endpoint", {"Body": body({"predictions": [PRED]})})
    with stub:
        assert scorer.score(rows[:1])[0].probability_of_default == 0.2
    stub.assert_no_pending_responses()


def test_sagemaker_unknown_endpoint_and_model_bugs_are_not_retried(
    rows: list[dict[str, Any]],
) -> None:
    scorer, stub = sagemaker()
    stub.add_client_error("invoke_endpoint", "ValidationError", "Endpoint credit not found", 400)
    stub.add_client_error("invoke_endpoint", "ModelError", "boom", 424,
                          modeled_fields={"OriginalStatusCode": 500})  # fmt: skip
    with stub:
        with pytest.raises(ScoringRejected, match="not found"):
            scorer.score(rows[:1])
        with pytest.raises(UpstreamUnavailable, match="HTTP 500"):
            scorer.score(rows[:1])
    stub.assert_no_pending_responses()


def test_build_scorer_follows_settings(
    registry_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
                       "AWS_EC2_METADATA_DISABLED": "true"}.items():  # fmt: skip
        monkeypatch.setenv(key, value)
    assert isinstance(build_scorer(Settings(var_dir=registry_dir)), InProcessScorer)
    with pytest.raises(NotFound):
        build_scorer(Settings(var_dir=tmp_path))
    http = build_scorer(Settings(scorer="http", scoring_url="http://127.0.0.1:9/"))
    assert isinstance(http, HttpScorer) and http.url == "http://127.0.0.1:9/invocations"
    sm = build_scorer(Settings(scorer="sagemaker", sagemaker_endpoint="ep",
                               sagemaker_endpoint_url="http://127.0.0.1:9"))  # fmt: skip
    assert isinstance(sm, SageMakerScorer) and sm.endpoint_name == "ep"


def stub_any() -> Any:
    from botocore.stub import ANY

    return ANY
