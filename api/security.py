"""Access-token verification: the local identity provider's RS256 keys, or Cognito's JWKS.

Both paths end in a `Principal`; routes never look at tokens themselves.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, Protocol

import jwt
from cachetools import TLRUCache

from core.errors import Unauthorized

Role = Literal["applicant", "staff"]
LOCAL_AUDIENCE = "loan-advisor"


@dataclass(frozen=True)
class Principal:
    """Who is calling: a stable user id and a role."""

    user_id: str
    role: Role
    email: str | None = None

    @property
    def is_staff(self) -> bool:
        """Say whether the caller holds the staff role."""
        return self.role == "staff"


class TokenVerifier(Protocol):
    """Turns a bearer token into a `Principal` or raises `Unauthorized`."""

    may_block: bool
    """True when `verify` can wait on the network (fetching keys), so it must run off the loop."""

    def verify(self, token: str) -> Principal:
        """Check signature, issuer, audience and expiry; return the caller."""
        ...


class VerifiedTokens:
    """A `TokenVerifier` that remembers the tokens it has verified, each until it expires.

    A token is immutable and signed, so verifying it again gives the same caller until its
    `exp`: every request after the first skips the signature check and claim parsing (about
    2% of a chat turn's CPU). An entry never outlives the token's own expiry, nor
    `max_age_seconds`, so a key rotated at the identity provider takes effect within that
    time; once `size` tokens are held, expired ones go first, then the least recently used.
    """

    def __init__(
        self,
        inner: TokenVerifier,
        *,
        size: int = 10_000,
        max_age_seconds: float = 300.0,
        now: Callable[[], float] = time.time,
    ) -> None:
        self.inner = inner
        self.may_block = inner.may_block
        self._max_age = max_age_seconds
        self._now = now
        # Each entry lives until its own `until` (a time on `now`'s clock, as `exp` is).
        self._known: TLRUCache[str, tuple[Principal, float]] = TLRUCache(
            maxsize=size, ttu=lambda _token, entry, _now: entry[1], timer=now
        )
        self._lock = threading.Lock()  # the event loop asks; pool threads verify and add

    def known(self, token: str) -> Principal | None:
        """Return the caller of a token verified before and not yet expired, else None."""
        with self._lock:
            entry = self._known.get(token)
        return entry[0] if entry is not None else None

    def verify(self, token: str) -> Principal:
        """Return the remembered caller, or verify through the wrapped verifier and remember."""
        principal = self.known(token)
        if principal is not None:
            return principal
        principal = self.inner.verify(token)  # raises Unauthorized: nothing is remembered
        now = self._now()
        until = min(_expiry(token, now), now + self._max_age)
        if until > now:
            with self._lock:
                self._known[token] = (principal, until)
        return principal


def _expiry(token: str, now: float) -> float:
    """Return a verified token's `exp` (seconds since the epoch); `now` if it has none."""
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:  # not a JWT (a verifier of another kind): never remembered
        return now
    exp = claims.get("exp")
    return float(exp) if isinstance(exp, int | float) else now


class LocalTokenVerifier:
    """Verifies tokens signed by the local identity provider's private key."""

    may_block = False  # a signature check in memory: cheaper inline than a thread hop

    def __init__(self, public_key: Any, issuer: str) -> None:
        self._key = public_key
        self._issuer = issuer

    def verify(self, token: str) -> Principal:
        """Check an RS256 token from the local identity provider."""
        try:
            claims = jwt.decode(
                token,
                self._key,
                algorithms=["RS256"],
                issuer=self._issuer,
                audience=LOCAL_AUDIENCE,
                options={"require": ["exp", "iat", "sub", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise Unauthorized("the access token has expired; sign in again") from exc
        except jwt.PyJWTError as exc:
            raise Unauthorized("the access token is not valid") from exc
        role: Role = "staff" if claims.get("role") == "staff" else "applicant"
        return Principal(user_id=str(claims["sub"]), role=role, email=claims.get("email"))


class CognitoTokenVerifier:
    """Verifies Cognito user-pool tokens against the pool's JWKS (cached by PyJWKClient).

    The issuer and the JWKS URL are separate settings because a test pool (moto) serves its
    keys from a different host than the issuer named in its tokens.
    """

    may_block = True  # a key not yet cached is fetched over HTTPS

    def __init__(self, issuer: str, jwks_url: str, client_id: str | None) -> None:
        self._issuer = issuer
        self._client_id = client_id
        self._jwks = jwt.PyJWKClient(jwks_url, cache_keys=True, lifespan=3600)

    def verify(self, token: str) -> Principal:
        """Check signature, issuer, client id (access or id token) and expiry."""
        try:
            key = self._jwks.get_signing_key_from_jwt(token)
            claims = jwt.decode(
                token,
                key.key,
                algorithms=["RS256"],
                issuer=self._issuer,
                options={"require": ["exp", "sub", "iss"], "verify_aud": False},
            )
        except jwt.ExpiredSignatureError as exc:
            raise Unauthorized("the access token has expired; sign in again") from exc
        except (jwt.PyJWTError, jwt.PyJWKClientError) as exc:
            raise Unauthorized("the access token is not valid") from exc
        use = claims.get("token_use")
        if use not in ("access", "id"):
            raise Unauthorized("the token is not a Cognito access or id token")
        audience = claims.get("client_id") if use == "access" else claims.get("aud")
        if self._client_id and audience != self._client_id:
            raise Unauthorized("the token was issued to another app client")
        groups = claims.get("cognito:groups") or []
        role: Role = "staff" if "staff" in groups else "applicant"
        return Principal(user_id=str(claims["sub"]), role=role, email=claims.get("email"))
