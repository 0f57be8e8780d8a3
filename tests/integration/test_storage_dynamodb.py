"""The DynamoDB repositories against DynamoDB Local: the same contract as SQLite, then the API
end to end on the DynamoDB store (idempotent submit, transitions, offers)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from api.backends import build_repositories
from api.bootstrap import bootstrap
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
    settings = Settings(
        var_dir=tmp_path,
        store="dynamodb",
        dynamodb_endpoint_url=dynamodb_url,
        dynamodb_table_prefix="api" + re.sub(r"[^a-z0-9]", "", request.node.name[-14:].lower()),
    )
    bootstrap(settings, report=lambda line: None)
    return settings


@pytest.mark.parametrize("page", [0, 2])
def test_dynamodb_repositories_contract(settings, page):
    # page=2: every query, scan and count spans several pages (DynamoDB Local honours Limit)
    check_repositories_contract(build_repositories(settings, FixedClock(T0), page=page))


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
