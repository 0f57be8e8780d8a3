"""Verified tokens are remembered until they expire, and a bad token never is."""

import time
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from api.security import LOCAL_AUDIENCE, LocalTokenVerifier, VerifiedTokens
from core.errors import Unauthorized

ISSUER = "https://loan-advisor.test"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _token(sub: str, lifetime_s: float, role: str = "applicant") -> str:
    now = datetime.now(UTC)
    claims = {
        "sub": sub,
        "iss": ISSUER,
        "aud": LOCAL_AUDIENCE,
        "iat": now,
        "exp": now + timedelta(seconds=lifetime_s),
        "role": role,
    }
    return jwt.encode(claims, KEY, algorithm="RS256")


class CountingVerifier:
    """The real local verifier, counting the signature checks it makes."""

    may_block = False

    def __init__(self) -> None:
        self.inner = LocalTokenVerifier(KEY.public_key(), ISSUER)
        self.calls = 0

    def verify(self, token: str):
        self.calls += 1
        return self.inner.verify(token)


class Clock:
    def __init__(self) -> None:
        self.t = time.time()

    def __call__(self) -> float:
        return self.t


def test_a_token_is_checked_once_then_remembered():
    inner = CountingVerifier()
    tokens = VerifiedTokens(inner)
    token = _token("usr_a", 3600, role="staff")
    assert tokens.known(token) is None
    first = tokens.verify(token)
    assert tokens.known(token) == first and first.is_staff and first.user_id == "usr_a"
    assert tokens.verify(token) == first
    assert inner.calls == 1


def test_a_remembered_token_is_forgotten_when_it_expires():
    clock = Clock()
    inner = CountingVerifier()
    tokens = VerifiedTokens(inner, now=clock)
    token = _token("usr_a", 120)
    tokens.verify(token)
    clock.t += 119
    assert tokens.known(token) is not None
    clock.t += 2  # past the token's exp: the wrapped verifier decides again
    assert tokens.known(token) is None
    tokens.verify(token)
    assert inner.calls == 2


def test_no_entry_outlives_the_maximum_age_even_for_a_long_lived_token():
    clock = Clock()
    tokens = VerifiedTokens(CountingVerifier(), max_age_seconds=60, now=clock)
    token = _token("usr_a", 3600)
    tokens.verify(token)
    clock.t += 61
    assert tokens.known(token) is None


def test_a_bad_token_is_refused_every_time_and_never_remembered():
    inner = CountingVerifier()
    tokens = VerifiedTokens(inner)
    forged = jwt.encode(
        {"sub": "usr_x", "iss": ISSUER, "aud": LOCAL_AUDIENCE, "exp": 9_999_999_999, "iat": 0},
        rsa.generate_private_key(public_exponent=65537, key_size=2048),
        algorithm="RS256",
    )
    for _ in range(2):
        with pytest.raises(Unauthorized):
            tokens.verify(forged)
    assert tokens.known(forged) is None and inner.calls == 2


def test_the_least_recently_used_tokens_go_first_when_full():
    tokens = VerifiedTokens(CountingVerifier(), size=2)
    a, b, c = (_token(f"usr_{n}", 3600) for n in "abc")
    tokens.verify(a)
    tokens.verify(b)
    assert tokens.known(a) is not None  # a was used since b arrived
    tokens.verify(c)
    assert tokens.known(b) is None
    assert tokens.known(a) is not None and tokens.known(c) is not None
