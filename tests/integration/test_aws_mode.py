"""The whole product in AWS mode against local stand-ins, all at once.

DynamoDB Local (records, KB documents, checkpoints, LLM cache), moto server (S3 documents and
Cognito sign-in), osmem-server (the OpenSearch KB index, lexical search: it has no k-NN), the
scoring server on loopback behind the SageMaker client, and a fake Bedrock chat model passed
through the composition root. `loan-advisor aws bootstrap` creates the tables, the bucket and
the index first; then an applicant applies in chat, gets offers, negotiates and accepts, reads
the application over REST, and continues the same thread after the API restarts.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from osmem_server import OsmemServer
from typer.testing import CliRunner

from api.main import create_app
from cli.main import app as cli_app
from core.config import Settings, get_settings
from tests.fakes.chat_models import FakeBedrockChatModel
from tests.integration.servers import free_port, running
from tests.integration.test_api_aws_auth import REGION, moto, pool  # noqa: F401 - fixtures
from tests.integration.test_kb_dynamodb import dynamodb_url  # noqa: F401 - fixture

pytestmark = pytest.mark.integration
PREFIX = "awsmode"
BUCKET = "awsmode-documents"
APPLICATION = [
    "I want a car loan of $20,000 over 4 years",
    "I earn 95k a year, employed full-time for 8 years",
    "no debts and no other loans",
    "my credit score is 780",
    "savings of 40k and 5,000 in checking",
    "I own my home, no kids",
    "master's degree",
    "41",
]


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A freshly trained credit model in a registry (small data, one model family)."""
    from cli.scoring import train_and_register
    from scoring.datasets import SEED_SPEC
    from scoring.generator import write

    var = tmp_path_factory.mktemp("aws-scoring")
    data = write(1500, 11, var / "data" / "generated.csv")
    train_and_register(data, SEED_SPEC, var, folds=2, seed=11, families=("lr",), fast=True,
                       progress=False)  # fmt: skip
    return var


@pytest.fixture(scope="module")
def scoring_url(registry: Path) -> Iterator[str]:
    """The model behind the scoring server (the SageMaker container contract) on loopback."""
    port = free_port()
    cmd = [sys.executable, "-m", "scoring.server", "serve", "--model-dir", str(registry)]
    with running(cmd, f"http://127.0.0.1:{port}/ping", env={"SAGEMAKER_BIND_TO_PORT": str(port)},
                 log=registry / "scoring-server.log"):  # fmt: skip
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def opensearch_url() -> Iterator[str]:
    with OsmemServer.start() as server:
        yield server.url


@pytest.fixture
def aws_env(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    dynamodb_url: str,  # noqa: F811
    moto: str,  # noqa: F811
    pool: dict[str, Any],  # noqa: F811
    scoring_url: str,
    opensearch_url: str,
) -> Iterator[Settings]:
    """AWS-mode settings in the environment, as a deployment sets them."""
    env = {
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_EC2_METADATA_DISABLED": "true",
        "LOAN_ADVISOR_MODE": "aws",
        "LOAN_ADVISOR_VAR_DIR": str(tmp_path),
        "LOAN_ADVISOR_AWS_REGION": REGION,
        "LOAN_ADVISOR_BEDROCK_REGION": REGION,
        "LOAN_ADVISOR_PROVIDER": "bedrock:anthropic.fake-bedrock",
        "LOAN_ADVISOR_DYNAMODB_ENDPOINT_URL": dynamodb_url,
        "LOAN_ADVISOR_DYNAMODB_TABLE_PREFIX": PREFIX,
        "LOAN_ADVISOR_S3_ENDPOINT_URL": moto,
        "LOAN_ADVISOR_DOCUMENTS_BUCKET": BUCKET,
        "LOAN_ADVISOR_OPENSEARCH_URL": opensearch_url,
        "LOAN_ADVISOR_KB_SEARCH_MODE": "lexical",
        "LOAN_ADVISOR_SAGEMAKER_ENDPOINT": "credit",
        "LOAN_ADVISOR_SAGEMAKER_ENDPOINT_URL": scoring_url,
        "LOAN_ADVISOR_COGNITO_ISSUER": pool["issuer"],
        "LOAN_ADVISOR_COGNITO_JWKS_URL": pool["jwks"],
        "LOAN_ADVISOR_COGNITO_CLIENT_ID": pool["client_id"],
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    # boto3's default session (used by this test's own clients) caches the credentials it
    # first saw; DynamoDB Local keeps one database per access key: use the current keys.
    boto3.setup_default_session()
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()
    boto3.setup_default_session()


def _events(text: str) -> list[tuple[str, dict[str, Any]]]:
    out, name = [], None
    for line in text.splitlines():
        if line.startswith("event: "):
            name = line[7:]
        elif line.startswith("data: ") and name:
            out.append((name, json.loads(line[6:])))
    return out


class Applicant:
    """One Cognito user talking to one API instance."""

    def __init__(self, client: TestClient, token: str) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}

    def say(self, thread: str, message: str) -> list[tuple[str, dict[str, Any]]]:
        r = self.client.post(f"/v1/chat/{thread}", json={"message": message}, headers=self.headers)
        assert r.status_code == 200, r.text
        events = _events(r.text)
        assert events[-1][0] == "done", events[-3:]
        return events

    def get(self, path: str) -> Any:
        r = self.client.get(path, headers=self.headers)
        assert r.status_code == 200, r.text
        return r.json()


def _reply(events: list[tuple[str, dict[str, Any]]]) -> str:
    return str(events[-1][1]["text"])


@dataclass
class Outcome:
    """What the scenario left behind, for mode-specific checks."""

    thread: str
    application_id: str
    negotiated: list[dict[str, Any]]
    stored_offers: list[dict[str, Any]]


def _scenario(make_app: Callable[[], FastAPI], sign_in: Callable[[TestClient], str]) -> Outcome:
    """Apply in chat, get offers, negotiate; restart the API; accept; read it all over REST."""
    with TestClient(make_app()) as client:
        alice = Applicant(client, sign_in(client))
        assert client.get("/readyz").json()["checks"]["store"] == "ok"
        thread = client.post("/v1/threads", json={}, headers=alice.headers).json()["thread_id"]
        cited = alice.say(thread, "what happens if I pay a few days late?")
        passages = next(d["passages"] for e, d in cited if e == "citations")
        assert passages and passages[0]["doc_id"]  # served by the configured KB index
        for text in APPLICATION:
            alice.say(thread, text)
        decided = alice.say(thread, "yes")
        offers = next(d["offers"] for e, d in decided if e == "offers")
        assert len(offers) >= 1, _reply(decided)
        negotiated = alice.say(thread, "can I get a lower monthly payment?")
        assert "New option" in _reply(negotiated), _reply(negotiated)
        headers = alice.headers

    # A new API process: the conversation continues from the stored checkpoint.
    with TestClient(make_app()) as client:
        alice = Applicant(client, "")
        alice.headers = headers
        option = len(offers) + 1
        restated = alice.say(thread, f"I'll take option {option}")
        assert f"Shall I accept option {option}" in _reply(restated), _reply(restated)
        accepted = alice.say(thread, "yes")  # binding: only after the restated terms
        assert f"accepted option {option}" in _reply(accepted), _reply(accepted)
        history = alice.get(f"/v1/threads/{thread}")["messages"]
        assert history[0]["content"] == "what happens if I pay a few days late?"
        (listed,) = alice.get("/v1/applications")
        application = alice.get(f"/v1/applications/{listed['application_id']}")
        assert application["status"] == "offer_accepted"
        assert [h["status"] for h in application["history"]][-1] == "offer_accepted"
        stored = alice.get(f"/v1/applications/{listed['application_id']}/offers")["offers"]
    chosen = next(d["offers"] for e, d in negotiated if e == "offers")
    return Outcome(thread, listed["application_id"], chosen, stored)


def _check_offers(outcome: Outcome) -> None:
    assert outcome.stored_offers, "chat offers must reach the offers store (application service)"
    accepted = next(o for o in outcome.stored_offers if o["status"] == "accepted")
    chosen = outcome.negotiated[-1]
    assert (accepted["monthly_payment"], accepted["tenure_months"]) == (
        chosen["monthly_payment"],
        chosen["tenure_months"],
    )


def test_aws_mode_end_to_end_with_a_restart(aws_env: Settings, pool: dict[str, Any]) -> None:  # noqa: F811
    boot = CliRunner().invoke(cli_app, ["aws", "bootstrap"])
    assert boot.exit_code == 0, boot.output
    assert f"table {PREFIX}-checkpoints: created" in boot.output
    assert f"bucket {BUCKET}: created" in boot.output
    assert "knowledge base kb-" in boot.output
    bedrock = FakeBedrockChatModel()
    outcome = _scenario(
        lambda: create_app(get_settings(), model=bedrock), lambda _: pool["alice"]["access"]
    )
    assert len(bedrock.calls) >= 12  # Bedrock (the fake) answered every turn, not the fallback
    _assert_everything_lives_in_the_stand_ins(aws_env, outcome.thread, outcome.application_id)
    _check_offers(outcome)


def test_local_mode_same_scenario(tmp_path: Path, registry: Path) -> None:
    """The embedded defaults (`make run`): SQLite, embedded index, offline model, local IdP."""
    from scoring.client import InProcessScorer
    from scoring.registry import load_champion
    from tools.risk import LazyRiskScorer

    settings = Settings(var_dir=tmp_path)
    scorer = LazyRiskScorer(lambda: InProcessScorer(load_champion(registry)))

    def sign_up(client: TestClient) -> str:
        creds = {"email": "alice@example.com", "password": "correct-horse-1"}
        assert client.post("/v1/auth/signup", json=creds).status_code == 202
        return str(client.post("/v1/auth/login", json=creds).json()["access_token"])

    outcome = _scenario(lambda: create_app(settings, scorer=scorer), sign_up)
    assert (tmp_path / "checkpoints.sqlite").exists() and (tmp_path / "app.sqlite").exists()
    _check_offers(outcome)


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _assert_everything_lives_in_the_stand_ins(
    settings: Settings, thread: str, application_id: str
) -> None:
    dynamodb = boto3.resource(
        "dynamodb", region_name=REGION, endpoint_url=settings.dynamodb_endpoint_url
    )
    records = dynamodb.Table(f"{PREFIX}-records")
    assert records.get_item(Key={"pk": f"APP#{application_id}", "sk": "META"}).get("Item")
    checkpoints = dynamodb.Table(f"{PREFIX}-checkpoints").scan()["Items"]
    assert any(thread in str(item["PK"]) for item in checkpoints)
    kb_documents = dynamodb.Table(f"{PREFIX}-kb-documents").scan(Select="COUNT")["Count"]
    assert kb_documents >= 30
    assert not (settings.var_dir / "checkpoints.sqlite").exists()
    assert not (settings.var_dir / "app.sqlite").exists()
