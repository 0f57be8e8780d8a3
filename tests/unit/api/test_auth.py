import time
from datetime import timedelta

import jwt
import pytest
from fastapi.testclient import TestClient

from api.identity import LocalIdentityProvider, load_or_create_key
from api.main import create_app
from core.clock import FixedClock, SystemClock
from storage.records import UserRecord
from tests.fakes.scoring import RuleScorer
from tests.unit.api.conftest import sign_up


def test_signup_login_me_round_trip(client):
    creds = {"email": "Ada@Example.com", "password": "correct-horse-1"}
    assert client.post("/v1/auth/signup", json=creds).status_code == 202
    r = client.post("/v1/auth/login", json={**creds, "email": "ada@example.com"})
    assert r.status_code == 200
    body = r.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 3600
    me = client.get("/v1/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json()["role"] == "applicant" and me.json()["email"] == "ada@example.com"


def test_signup_of_a_taken_email_looks_like_a_fresh_signup(client):
    # Finding 4: sign-up answered 409 "an account with this email already exists".
    creds = {"email": "dup@example.com", "password": "correct-horse-1"}
    first = client.post("/v1/auth/signup", json=creds)
    again = client.post("/v1/auth/signup", json={**creds, "password": "attacker-pass-1"})
    fresh = client.post("/v1/auth/signup", json={**creds, "email": "new@example.com"})
    assert first.status_code == again.status_code == fresh.status_code == 202
    assert first.json() == again.json() == fresh.json()
    assert set(again.headers) == set(fresh.headers)
    # The existing account is untouched: its own password still works, the attacker's not.
    assert client.post("/v1/auth/login", json=creds).status_code == 200
    hijack = client.post("/v1/auth/login", json={**creds, "password": "attacker-pass-1"})
    assert hijack.status_code == 401


def test_wrong_password_and_unknown_email_get_the_same_401(client):
    creds = {"email": "dup@example.com", "password": "correct-horse-1"}
    client.post("/v1/auth/signup", json=creds)
    bad = client.post("/v1/auth/login", json={**creds, "password": "wrong-password"})
    unknown = client.post(
        "/v1/auth/login", json={"email": "nobody@example.com", "password": "whatever1"}
    )
    assert bad.status_code == unknown.status_code == 401
    assert bad.json()["detail"] == unknown.json()["detail"]  # no hint which emails exist
    assert bad.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "creds",
    [
        {"email": "not-an-email", "password": "correct-horse-1"},
        {"email": "a@example.com", "password": "short"},
        {"email": "a@example.com"},
    ],
)
def test_bad_credentials_are_field_errors(client, creds):
    r = client.post("/v1/auth/signup", json=creds)
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] in ("email", "password")


def test_jwks_verifies_issued_tokens(client, alice):
    keys = client.get("/.well-known/jwks.json").json()["keys"]
    token = alice["Authorization"].split()[1]
    kid = jwt.get_unverified_header(token)["kid"]
    (jwk,) = [k for k in keys if k["kid"] == kid]
    claims = jwt.decode(token, jwt.PyJWK(jwk).key, algorithms=["RS256"], audience="loan-advisor")
    assert claims["role"] == "applicant"
    assert "password" not in str(keys) and "d" not in keys[0]  # public parts only


def test_seeded_staff_account_has_staff_role(client, staff):
    assert client.get("/v1/auth/me", headers=staff).json()["role"] == "staff"


@pytest.mark.parametrize(
    "header",
    [None, "Bearer not.a.jwt", "Basic dXNlcjpwYXNz", "Bearer "],
)
def test_missing_or_bad_tokens_are_401(client, header):
    headers = {"Authorization": header} if header else {}
    r = client.get("/v1/applications", headers=headers)
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")


def test_expired_and_foreign_tokens_are_401(client, settings, tmp_path):
    key = load_or_create_key(settings.var_dir / "auth")
    past = FixedClock(SystemClock().now() - timedelta(hours=3))
    idp = LocalIdentityProvider(_NoUsers(), key, past, ttl_seconds=3600)
    user = UserRecord(
        user_id="usr_expired01", email="e@example.com", password_hash="x", created_at=past.now()
    )
    expired = idp.issue(user)
    r = client.get("/v1/auth/me", headers={"Authorization": f"Bearer {expired}"})
    assert r.status_code == 401 and "expired" in r.json()["detail"]
    other = LocalIdentityProvider(
        _NoUsers(), load_or_create_key(tmp_path / "other"), SystemClock(), 3600
    )
    forged = other.issue(user.model_copy(update={"role": "staff"}))
    assert (
        client.get("/v1/auth/me", headers={"Authorization": f"Bearer {forged}"}).status_code == 401
    )


def test_key_pair_survives_restart(settings):
    tokens: list[dict[str, str]] = []
    for _ in range(2):
        with TestClient(create_app(settings, scorer=RuleScorer(), knowledge=_NoKb())) as c:
            if not tokens:
                tokens.append(sign_up(c, "keep@example.com"))
            assert c.get("/v1/auth/me", headers=tokens[0]).status_code == 200
    assert (settings.var_dir / "auth" / "jwt_private.pem").stat().st_mode & 0o077 == 0


def test_per_user_rate_limit_answers_429(settings):
    limited = settings.model_copy(update={"rate_limit_user_per_minute": 3})
    with TestClient(create_app(limited, scorer=RuleScorer(), knowledge=_NoKb())) as c:
        h = sign_up(c)
        codes = [c.get("/v1/applications", headers=h).status_code for _ in range(5)]
        assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
        r = c.get("/v1/applications", headers=h)
        assert int(r.headers["Retry-After"]) >= 1
        assert c.get("/v1/applications", headers=sign_up(c)).status_code == 200  # others unaffected


class _NoUsers:
    def create(self, user):
        raise AssertionError("not used")

    def get_by_email(self, email):
        return None

    def set_role(self, user_id, role):
        raise AssertionError("not used")


class _NoKb:
    def search(self, query, *, history=None, product=None, k=5):
        return []


def test_create_staff_account_then_log_in(settings):
    from api.identity import create_staff_account

    fresh = settings.model_copy(update={"staff_email": None, "staff_password": None})
    create_staff_account(fresh, "boss@example.com", "boss-password-1")
    with TestClient(create_app(fresh, scorer=RuleScorer(), knowledge=_NoKb())) as c:
        creds = {"email": "boss@example.com", "password": "boss-password-1"}
        token = c.post("/v1/auth/login", json=creds).json()["access_token"]
        me = c.get("/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).json()
        assert me["role"] == "staff"


def test_right_password_after_150_wrong_ones_is_throttled(settings):
    # Finding 4: 150 wrong-password logins were all processed and the right one worked at once.
    with TestClient(create_app(settings, scorer=RuleScorer(), knowledge=_NoKb())) as c:
        creds = {"email": "target@example.com", "password": "correct-horse-1"}
        c.post("/v1/auth/signup", json=creds)
        codes = [
            c.post("/v1/auth/login", json={**creds, "password": f"guess-{i:04d}"}).status_code
            for i in range(150)
        ]
        assert codes[:5] == [401] * 5 and set(codes[5:]) == {429}
        right = c.post("/v1/auth/login", json=creds)
        assert right.status_code == 429 and int(right.headers["Retry-After"]) >= 1
        assert right.headers["Content-Type"].startswith("application/problem+json")


def test_login_backs_off_per_address_across_accounts(settings):
    strict = settings.model_copy(update={"login_ip_failures_before_lockout": 3})
    with TestClient(create_app(strict, scorer=RuleScorer(), knowledge=_NoKb())) as c:
        creds = {"email": "spray@example.com", "password": "correct-horse-1"}
        c.post("/v1/auth/signup", json=creds)
        # One wrong password each for three accounts: a password spray from one address.
        for n in range(3):
            bad = {"email": f"victim{n}@example.com", "password": "Summer2026!"}
            assert c.post("/v1/auth/login", json=bad).status_code == 401
        assert c.post("/v1/auth/login", json=creds).status_code == 429


def test_login_lockout_ends_and_success_clears_the_account(settings):
    quick = settings.model_copy(
        update={"login_failures_before_lockout": 2, "login_lockout_base_seconds": 0.2}
    )
    with TestClient(create_app(quick, scorer=RuleScorer(), knowledge=_NoKb())) as c:
        creds = {"email": "wait@example.com", "password": "correct-horse-1"}
        c.post("/v1/auth/signup", json=creds)
        for _ in range(2):
            c.post("/v1/auth/login", json={**creds, "password": "wrong-password"})
        assert c.post("/v1/auth/login", json=creds).status_code == 429
        time.sleep(0.3)
        assert c.post("/v1/auth/login", json=creds).status_code == 200
        wrong = c.post("/v1/auth/login", json={**creds, "password": "wrong-password"})
        assert wrong.status_code == 401  # the success cleared the count: one more is free
