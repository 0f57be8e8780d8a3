"""GET /v1/auth/config: the web app learns which identity provider the API's verifier accepts."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.routes.auth import auth_config
from core.config import Settings
from core.errors import UpstreamUnavailable
from tests.fakes.knowledge import FakeKnowledgeBase
from tests.fakes.scoring import RuleScorer

POOL = "eu-west-1_Ab12Cd34"


def test_local_mode_says_local_and_needs_no_token(client):
    r = client.get("/v1/auth/config")
    assert r.status_code == 200
    assert r.json() == {
        "provider": "local",
        "user_pool_id": None,
        "client_id": None,
        "region": None,
    }


def test_cognito_mode_names_pool_client_and_region(tmp_path, monkeypatch):
    # AWS mode builds an S3 client; static dummy keys stop boto3 probing instance metadata.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    settings = Settings(
        var_dir=tmp_path,
        mode="aws",
        store="sqlite",  # the AWS backends are tested against their stand-ins (integration)
        provider="offline:advisor-v1",
        cognito_issuer=f"https://cognito-idp.eu-west-1.amazonaws.com/{POOL}",
        cognito_jwks_url="http://127.0.0.1:9/jwks.json",  # never fetched: no token is sent
        cognito_client_id="client123",
        cognito_user_pool_id=POOL,
    )
    app = create_app(settings, scorer=RuleScorer(), knowledge=FakeKnowledgeBase())
    with TestClient(app) as c:
        r = c.get("/v1/auth/config")
        assert r.status_code == 200
        assert r.json() == {
            "provider": "cognito",
            "user_pool_id": POOL,
            "client_id": "client123",
            "region": "eu-west-1",
        }
        # The local identity provider's routes are off, so the web app must use Cognito.
        creds = {"email": "a@example.com", "password": "correct-horse-1"}
        assert c.post("/v1/auth/login", json=creds).status_code == 404


def test_cognito_verifier_without_pool_settings_is_a_clear_503(tmp_path):
    settings = Settings(var_dir=tmp_path, cognito_client_id="client123")
    with pytest.raises(UpstreamUnavailable, match="COGNITO_USER_POOL_ID"):
        auth_config(settings, local_idp=False)


def test_pool_id_without_region_prefix_falls_back_to_aws_region(tmp_path):
    settings = Settings(
        var_dir=tmp_path, cognito_user_pool_id="pool", cognito_client_id="c", aws_region="ap-x-1"
    )
    assert auth_config(settings, local_idp=False).region == "ap-x-1"
    assert auth_config(settings, local_idp=True).provider == "local"
