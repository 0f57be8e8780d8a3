"""AWS mode against moto server: Cognito user-pool tokens (PyJWT + the pool's JWKS) and S3
presigned document uploads."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator

import boto3
import httpx
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from core.config import Settings
from tests.fakes.documents import pdf_bytes
from tests.fakes.knowledge import FakeKnowledgeBase
from tests.fakes.scoring import RuleScorer
from tests.integration.servers import free_port, running

REGION = "us-east-1"
PDF = pdf_bytes()


@pytest.fixture(scope="module")
def moto() -> Iterator[str]:
    port = free_port()
    env = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"}
    moto_bin = os.path.join(os.path.dirname(sys.executable), "moto_server")
    with running(
        [moto_bin, "-H", "127.0.0.1", "-p", str(port)], f"http://127.0.0.1:{port}/moto-api/", env
    ):
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def pool(moto):
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "test")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "test")
    idp = boto3.client("cognito-idp", region_name=REGION, endpoint_url=moto)
    pool_id = idp.create_user_pool(PoolName="loan-advisor")["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="web",
        ExplicitAuthFlows=["ADMIN_USER_PASSWORD_AUTH"],
    )["UserPoolClient"]["ClientId"]
    idp.create_group(GroupName="staff", UserPoolId=pool_id)

    def user(name: str, staff: bool = False) -> dict[str, str]:
        idp.admin_create_user(UserPoolId=pool_id, Username=name)
        idp.admin_set_user_password(
            UserPoolId=pool_id, Username=name, Password="Correct-Horse-1!", Permanent=True
        )
        if staff:
            idp.admin_add_user_to_group(UserPoolId=pool_id, Username=name, GroupName="staff")
        auth = idp.admin_initiate_auth(
            UserPoolId=pool_id,
            ClientId=client_id,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": name, "PASSWORD": "Correct-Horse-1!"},
        )["AuthenticationResult"]
        return {"access": auth["AccessToken"], "id": auth["IdToken"]}

    return {
        "issuer": f"https://cognito-idp.{REGION}.amazonaws.com/{pool_id}",
        "jwks": f"{moto}/{pool_id}/.well-known/jwks.json",
        "client_id": client_id,
        "alice": user("alice"),
        "officer": user("officer", staff=True),
    }


def _app(tmp_path, moto, pool, **overrides):
    fields = {
        "mode": "aws",
        "var_dir": tmp_path,
        # Cognito and S3 here; the whole AWS stack runs in test_aws_mode.py.
        "store": "sqlite",
        "provider": "offline:advisor-v1",
        "cognito_issuer": pool["issuer"],
        "cognito_jwks_url": pool["jwks"],
        "cognito_client_id": pool["client_id"],
        "s3_endpoint_url": moto,
        "aws_region": REGION,
        **overrides,
    }
    settings = Settings(**fields)
    return TestClient(create_app(settings, scorer=RuleScorer(), knowledge=FakeKnowledgeBase()))


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_cognito_tokens_and_groups(tmp_path, moto, pool):
    with _app(tmp_path, moto, pool) as c:
        me = c.get("/v1/auth/me", headers=_bearer(pool["alice"]["access"]))
        assert me.status_code == 200 and me.json()["role"] == "applicant"
        assert c.get("/v1/auth/me", headers=_bearer(pool["alice"]["id"])).status_code == 200
        officer = _bearer(pool["officer"]["access"])
        assert c.get("/v1/auth/me", headers=officer).json()["role"] == "staff"
        assert c.get("/v1/staff/metrics", headers=officer).status_code == 200
        alice = _bearer(pool["alice"]["access"])
        assert c.get("/v1/staff/metrics", headers=alice).status_code == 403
        header, payload, sig = pool["alice"]["access"].split(".")
        tampered = ".".join([header, payload, sig[::-1]])
        assert c.get("/v1/auth/me", headers=_bearer(tampered)).status_code == 401
        # The local identity provider is off in AWS mode.
        creds = {"email": "x@example.com", "password": "correct-horse-1"}
        assert c.post("/v1/auth/signup", json=creds).status_code == 404


def test_tokens_from_another_issuer_or_client_are_refused(tmp_path, moto, pool):
    wrong_issuer = {"cognito_issuer": pool["issuer"] + "-other"}
    with _app(tmp_path / "a", moto, pool, **wrong_issuer) as c:
        assert c.get("/v1/auth/me", headers=_bearer(pool["alice"]["access"])).status_code == 401
    with _app(tmp_path / "b", moto, pool, cognito_client_id="another-client") as c:
        assert c.get("/v1/auth/me", headers=_bearer(pool["alice"]["access"])).status_code == 401


def test_presigned_upload_to_s3_is_checked_on_complete(tmp_path, moto, pool):
    boto3.client("s3", region_name=REGION, endpoint_url=moto).create_bucket(
        Bucket="loan-advisor-documents"
    )
    alice = _bearer(pool["alice"]["access"])
    with _app(tmp_path, moto, pool) as c:
        for data, expected in ((PDF, 200), (b"MZ not a pdf at all", 422)):
            body = {
                "kind": "proof_of_income",
                "filename": "payslip.pdf",
                "content_type": "application/pdf",
                "size_bytes": len(data),
            }
            ticket = c.post("/v1/documents/uploads", json=body, headers=alice)
            assert ticket.status_code == 201, ticket.text
            t = ticket.json()
            put = httpx.put(t["upload_url"], content=data, headers=t["headers"])
            assert put.status_code == 200, put.text
            doc_id = t["document"]["document_id"]
            done = c.post(f"/v1/documents/{doc_id}/complete", headers=alice)
            assert done.status_code == expected, done.text
        docs = c.get("/v1/documents", headers=alice).json()
        assert [(d["status"], d["content_type"]) for d in docs] == [("stored", "application/pdf")]
