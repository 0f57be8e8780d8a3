"""The DynamoDB repositories against DynamoDB Local: the same contract as SQLite, then the API
end to end on the DynamoDB store (idempotent submit, transitions, offers)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.backends import build_repositories
from api.main import create_app
from core.clock import FixedClock
from core.config import Settings
from tests.fakes.knowledge import FakeKnowledgeBase
from tests.fakes.scoring import RuleScorer
from tests.integration.test_kb_dynamodb import dynamodb_url  # noqa: F401 - shared fixture
from tests.unit.api.conftest import application_body, sign_up
from tests.unit.storage.test_repositories_contract import T0, check_repositories_contract

pytestmark = pytest.mark.integration


@pytest.fixture
def settings(dynamodb_url, monkeypatch, request, tmp_path):  # noqa: F811
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "local")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "local")
    return Settings(
        var_dir=tmp_path,
        store="dynamodb",
        dynamodb_endpoint_url=dynamodb_url,
        dynamodb_table_prefix=f"api{request.node.name[-10:].replace('_', '')}",
    )


def test_dynamodb_repositories_contract(settings):
    check_repositories_contract(build_repositories(settings, FixedClock(T0)))


def test_api_on_dynamodb(settings):
    with TestClient(create_app(settings, scorer=RuleScorer(), knowledge=FakeKnowledgeBase())) as c:
        alice = sign_up(c)
        key = {"Idempotency-Key": "dynamo-key-01"}
        first = c.post("/v1/applications", json=application_body(), headers={**alice, **key})
        again = c.post("/v1/applications", json=application_body(), headers={**alice, **key})
        assert (first.status_code, again.status_code) == (201, 200)
        app_id = first.json()["application_id"]
        assert again.json()["application_id"] == app_id
        offers = c.get(f"/v1/applications/{app_id}/offers", headers=alice).json()["offers"]
        accept = c.post(
            f"/v1/applications/{app_id}/offers/{offers[0]['offer_id']}/accept", headers=alice
        )
        assert accept.status_code == 200
        detail = c.get(f"/v1/applications/{app_id}", headers=alice).json()
        assert [h["status"] for h in detail["history"]] == [
            "received",
            "approved",
            "offer_accepted",
        ]
        assert c.get(f"/v1/applications/{app_id}", headers=sign_up(c)).status_code == 404
        assert c.get("/readyz").json()["checks"]["store"] == "ok"
