"""The local identity provider: sign-up, login, RS256 tokens and the JWKS that verifies them.

The key pair is generated once and kept under var/auth/ so tokens survive restarts; the
private key file is created with mode 0600.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from api.security import LOCAL_AUDIENCE, LocalTokenVerifier
from core.clock import Clock
from core.config import Settings
from core.errors import Conflict, Unauthorized
from core.ids import new_id
from storage.records import UserRecord
from storage.repositories import UserRepository

LOCAL_ISSUER = "loan-advisor-local"
# argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): a login costs tens of
# milliseconds on a small server instead of the library default's 64 MiB x 3 passes.
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# Hashing an unknown user's password anyway keeps login timing from revealing which emails exist.
_DUMMY_HASH = HASHER.hash("not-a-real-password")


def load_or_create_key(directory: Path) -> rsa.RSAPrivateKey:
    """Return the signing key in `directory`, generating a 2048-bit RSA key the first time."""
    path = directory / "jwt_private.pem"
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        assert isinstance(key, rsa.RSAPrivateKey)
        return key
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    try:
        os.link(tmp, path)  # first writer wins when two processes start at once
    except FileExistsError:
        tmp.unlink()
        return load_or_create_key(directory)
    tmp.unlink()
    return key


class LocalIdentityProvider:
    """Accounts with argon2id password hashes and RS256 access tokens."""

    def __init__(
        self, users: UserRepository, key: rsa.RSAPrivateKey, clock: Clock, ttl_seconds: int
    ) -> None:
        self._users = users
        self._key = key
        self._clock = clock
        self._ttl = ttl_seconds
        self._hasher = HASHER
        public_jwk: dict[str, Any] = json.loads(
            jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key())
        )
        self._kid = _thumbprint(public_jwk)
        self._jwk = {**public_jwk, "kid": self._kid, "use": "sig", "alg": "RS256"}
        self.verifier = LocalTokenVerifier(key.public_key(), LOCAL_ISSUER)

    @property
    def ttl_seconds(self) -> int:
        """Return the lifetime of issued tokens."""
        return self._ttl

    def jwks(self) -> dict[str, Any]:
        """Return the public key set, for anyone verifying our tokens."""
        return {"keys": [self._jwk]}

    def sign_up(self, email: str, password: str, role: str = "applicant") -> UserRecord:
        """Create an account; a taken email is a `Conflict`."""
        user = UserRecord(
            user_id=new_id("usr"),
            email=email.strip().lower(),
            password_hash=self._hasher.hash(password),
            role="staff" if role == "staff" else "applicant",
            created_at=self._clock.now(),
        )
        self._users.create(user)
        return user

    def register(self, email: str, password: str) -> None:
        """Create an applicant account unless the email is taken; say nothing either way.

        A taken email still costs one password hash, so timing does not reveal it either, and
        the existing account is left untouched.
        """
        try:
            self.sign_up(email, password)
        except Conflict:
            return

    def authenticate(self, email: str, password: str) -> UserRecord:
        """Return the user if the password matches, else `Unauthorized` (one message for both)."""
        user = self._users.get_by_email(email.strip().lower())
        try:
            self._hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
        except (VerificationError, InvalidHashError) as exc:
            raise Unauthorized("wrong email or password") from exc
        if user is None:
            raise Unauthorized("wrong email or password")
        return user

    def issue(self, user: UserRecord, ttl_seconds: int | None = None) -> str:
        """Return a signed access token for `user`."""
        now = self._clock.now()
        ttl = self._ttl if ttl_seconds is None else ttl_seconds
        claims = {
            "iss": LOCAL_ISSUER,
            "aud": LOCAL_AUDIENCE,
            "sub": user.user_id,
            "email": user.email,
            "role": user.role,
            "iat": int(now.timestamp()),
            "exp": int((now + timedelta(seconds=ttl)).timestamp()),
            "jti": new_id("tok"),
        }
        return jwt.encode(claims, self._key, algorithm="RS256", headers={"kid": self._kid})

    def ensure_staff(self, email: str, password: str) -> None:
        """Create the seeded staff account, or promote an existing account with that email."""
        existing = self._users.get_by_email(email)
        if existing is None:
            try:
                self.sign_up(email, password, role="staff")
                return
            except Conflict:  # another worker process seeded it first
                existing = self._users.get_by_email(email)
        if existing is not None and existing.role != "staff":
            self._users.set_role(existing.user_id, "staff")


def _thumbprint(jwk: dict[str, Any]) -> str:
    """Return the RFC 7638 thumbprint, a stable key id across restarts."""
    canonical = json.dumps({k: jwk[k] for k in ("e", "kty", "n")}, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def create_staff_account(settings: Settings, email: str, password: str) -> None:
    """Create (or promote) a staff account in the local store (the `create-staff` command)."""
    from api.backends import build_repositories
    from core.clock import SystemClock

    clock = SystemClock()
    repos = build_repositories(settings, clock)
    try:
        key = load_or_create_key(settings.var_dir / "auth")
        LocalIdentityProvider(repos.users, key, clock, settings.token_ttl_seconds).ensure_staff(
            email, password
        )
    finally:
        repos.close()
