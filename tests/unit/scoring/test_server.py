"""The scoring server's routes, in process (Starlette's TestClient, no sockets)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from scoring.datasets import Dataset
from scoring.model import LoadedModel
from scoring.server.app import create_app
from scoring.server.loading import ModelState, load_state
from scoring.server.validation import FeatureSchema

ATTRS = "X-Amzn-SageMaker-Custom-Attributes"


@pytest.fixture(scope="module")
def state(champion: LoadedModel) -> ModelState:
    return ModelState(Path("."), champion, FeatureSchema.from_model(champion))


@pytest.fixture(scope="module")
def client(state: ModelState) -> TestClient:
    return TestClient(create_app(state, max_rows=50, max_body_bytes=64_000))


@pytest.fixture(scope="module")
def rows(small_dataset: Dataset) -> list[dict[str, Any]]:
    return [
        {k: (v.item() if hasattr(v, "item") else v) for k, v in r.items()}
        for r in small_dataset.X.iloc[:5].to_dict("records")
    ]


def post(client: TestClient, body: Any, path: str = "/invocations", **headers: str) -> Any:
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    ctype = headers.pop("content_type", "application/json")
    return client.post(path, content=data, headers={"content-type": ctype, **headers})


def test_ping_names_the_model(client: TestClient, champion: LoadedModel) -> None:
    r = client.get("/ping")
    assert r.status_code == 200
    assert r.json()["model_version"] == champion.model_id
    assert r.json()["features"] == [*champion.model.encoder.numeric,
                                    *champion.model.encoder.categorical]  # fmt: skip


def test_missing_model_gives_503_with_reason(tmp_path: Path) -> None:
    c = TestClient(create_app(load_state(tmp_path / "nowhere")))
    r = c.get("/ping")
    assert r.status_code == 503
    assert "does not exist" in r.json()["reason"]
    r = post(c, {"annual_income": 1})
    assert r.status_code == 503 and r.json()["errors"][0]["field"] == "model"


def test_single_applicant_matches_in_process_model(
    client: TestClient, champion: LoadedModel, rows: list[dict[str, Any]]
) -> None:
    r = post(client, rows[0])
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    (pred,) = r.json()["predictions"]
    want = champion.score([rows[0]])[0]
    assert pred["probability_of_default"] == pytest.approx(want.probability_of_default, abs=1e-12)
    assert pred["risk_tier"] == want.risk_tier and pred["model_version"] == champion.model_id
    assert "reasons" not in pred and "contributions" not in pred


def test_batches_keep_order_in_every_json_shape(
    client: TestClient, champion: LoadedModel, rows: list[dict[str, Any]]
) -> None:
    want = [x.probability_of_default for x in champion.score(rows)]
    for body in (rows, {"instances": rows}):
        got = [p["probability_of_default"] for p in post(client, body).json()["predictions"]]
        assert got == pytest.approx(want, abs=1e-12)
    lines = "\n".join(json.dumps(r) for r in rows)
    r = post(client, lines, content_type="application/jsonlines", accept="application/jsonlines")
    got = [json.loads(ln)["probability_of_default"] for ln in r.text.splitlines()]
    assert got == pytest.approx(want, abs=1e-12)


def test_explain_by_field_or_custom_attribute(
    client: TestClient, rows: list[dict[str, Any]], champion: LoadedModel
) -> None:
    by_field = post(client, {**rows[0], "explain": True}).json()["predictions"][0]
    by_header = post(client, [rows[0]], **{ATTRS: "trace=1,explain=true"}).json()
    assert set(by_field["contributions"]) == set(champion.features)
    assert by_header["predictions"][0] == by_field
    assert all(x["contribution"] > 0 for x in by_field["reasons"])
    off = post(client, {"instances": [rows[0]], "explain": False}, **{ATTRS: "explain=true"})
    assert "contributions" not in off.json()["predictions"][0]


def test_csv_in_with_or_without_header_and_csv_out(
    client: TestClient, rows: list[dict[str, Any]], state: ModelState
) -> None:
    assert state.schema is not None
    features = state.schema.features
    want = [p["probability_of_default"] for p in post(client, rows).json()["predictions"]]
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["customer_id", *reversed(features)])  # extra column, any order
    for i, row in enumerate(rows):
        w.writerow([f"c{i}", *(row[f] for f in reversed(features))])
    headless = "\n".join(",".join(str(row[f]) for f in features) for row in rows)
    for body in (buf.getvalue(), headless):
        r = post(
            client, body, content_type="text/csv", accept="text/csv", **{ATTRS: "explain=true"}
        )
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        out = list(csv.DictReader(io.StringIO(r.text)))
        assert [float(o["probability_of_default"]) for o in out] == pytest.approx(want, abs=1e-12)
        assert out[0]["reason_codes"] and f"shap_{features[0]}" in out[0]


def test_nulls_are_imputed_and_categories_match_case_insensitively(
    client: TestClient, rows: list[dict[str, Any]]
) -> None:
    row = {**rows[0], "credit_score": None}
    assert post(client, row).status_code == 200
    shouted = {**rows[0], "loan_purpose": rows[0]["loan_purpose"].upper()}
    a, b = (post(client, x).json()["predictions"][0] for x in (rows[0], shouted))
    assert a == b


@pytest.mark.parametrize(
    ("change", "field", "row", "words"),
    [
        ({"annual_income": -5000}, "annual_income", 1, "greater than 0"),
        ({"credit_score": 900}, "credit_score", 1, "at most 850"),
        ({"credit_score": 250}, "credit_score", 1, "at least 300"),
        ({"loan_purpose": "Boat"}, "loan_purpose", 1, "unknown loan_purpose 'Boat'"),
        ({"home_ownership": 3}, "home_ownership", 1, "unknown home_ownership"),
        ({"years_employed": "many"}, "years_employed", 1, "must be a number"),
        ({"existing_loans": True}, "existing_loans", 1, "must be a number"),
        ({"debt_to_income_ratio": "nan"}, "debt_to_income_ratio", 1, "must be a number"),
    ],
)
def test_bad_values_are_400s_naming_field_and_row(
    client: TestClient, rows: list[dict[str, Any]], change: dict[str, Any], field: str, row: int,
    words: str,
) -> None:  # fmt: skip
    batch = [rows[0], {**rows[1], **change}]
    r = post(client, batch)
    assert r.status_code == 400 and r.headers["content-type"] == "application/problem+json"
    problem = r.json()
    assert problem["errors"][0] == {
        "row": row,
        "field": field,
        "message": problem["errors"][0]["message"],
    }
    assert words in problem["errors"][0]["message"]
    assert problem["detail"].startswith(f"row {row}: ")


def test_missing_field_and_non_object_rows(client: TestClient, rows: list[dict[str, Any]]) -> None:
    partial = {k: v for k, v in rows[0].items() if k != "credit_score"}
    err = post(client, [rows[0], rows[1], partial]).json()["errors"]
    assert err == [{"row": 2, "field": "credit_score", "message": "missing field 'credit_score'"}]
    err = post(client, [rows[0], 7]).json()["errors"]
    assert err[0]["row"] == 1 and err[0]["field"] == "row"


@pytest.mark.parametrize(
    ("body", "ctype", "status", "field"),
    [
        ('{"annual_income": 1,', "application/json", 400, "body"),
        ("", "application/json", 400, "body"),
        ('"just a string"', "application/json", 400, "body"),
        ('{"instances": {"a": 1}}', "application/json", 400, "instances"),
        ('{"instances": []}', "application/json", 400, "instances"),
        ('{"instances": [{}], "explain": "yes"}', "application/json", 400, "explain"),
        ("1,2,3\n4,5,6\n", "text/csv", 400, "row"),
        ('a,"b\n', "text/csv", 400, "body"),
        ("<xml/>", "application/xml", 415, "Content-Type"),
    ],
)
def test_malformed_requests(
    client: TestClient, body: str, ctype: str, status: int, field: str
) -> None:
    r = post(client, body, content_type=ctype)
    assert r.status_code == status
    assert r.json()["errors"][0]["field"] == field


def test_csv_header_missing_a_column_is_named(client: TestClient, state: ModelState) -> None:
    assert state.schema is not None
    cols = state.schema.features[1:]
    r = post(client, ",".join(cols) + "\n" + ",".join("1" for _ in cols), content_type="text/csv")
    assert r.status_code == 400 and state.schema.features[0] in r.json()["detail"]


def test_limits_and_content_negotiation(client: TestClient, rows: list[dict[str, Any]]) -> None:
    r = post(client, rows * 11)  # 55 rows > max_rows=50
    assert r.status_code == 400 and "over the limit of 50" in r.json()["detail"]
    assert r.json()["errors"][0]["field"] == "instances"
    big = post(client, [{**rows[0], "pad": "x" * 70_000}])
    assert big.status_code == 413
    chunked = client.post("/invocations", content=iter([b"[" + b" " * 40_000] * 2),
                          headers={"content-type": "application/json"})  # fmt: skip
    assert chunked.status_code == 413 and "over the limit" in chunked.json()["detail"]
    assert post(client, rows[0], accept="application/xml").status_code == 406
    assert post(client, rows[0], accept="text/html, */*;q=0.1").status_code == 200
    assert post(client, rows[0]).status_code == 200  # still serving after every refusal


def test_sagemaker_runtime_path_wraps_errors_as_model_error(
    client: TestClient, rows: list[dict[str, Any]]
) -> None:
    ok = post(client, rows[0], path="/endpoints/credit/invocations")
    assert ok.status_code == 200 and ok.headers["x-amzn-invoked-production-variant"]
    assert ok.json() == post(client, rows[0]).json()
    bad = post(client, {**rows[0], "credit_score": 9000}, path="/endpoints/credit/invocations")
    assert bad.status_code == 424 and bad.headers["x-amzn-errortype"] == "ModelError"
    body = bad.json()
    assert body["OriginalStatusCode"] == 400
    assert json.loads(body["OriginalMessage"])["errors"][0]["field"] == "credit_score"


def test_request_id_is_echoed(client: TestClient, rows: list[dict[str, Any]]) -> None:
    r = post(client, rows[0], **{"x-request-id": "req_abc12345"})
    assert r.headers["x-request-id"] == "req_abc12345" == r.headers["x-amzn-requestid"]
    r = post(client, rows[0], **{"X-Amzn-SageMaker-Inference-Id": "inf-42"})
    assert r.headers["x-request-id"] == "inf-42"
    assert post(client, rows[0]).headers["x-request-id"].startswith("req_")


def test_execution_parameters_for_batch_transform(client: TestClient) -> None:
    assert client.get("/execution-parameters").json()["BatchStrategy"] == "MULTI_RECORD"
