"""Bodies of the local identity provider's routes."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

# No spaces or control characters anywhere. The control ranges are spelled out because regex
# engines disagree on whether \x1c-\x1f and \x85 are `\s` (Python's re, pydantic's Rust
# engine, JSON Schema's ECMA dialect), and the schema must accept exactly what the API does.
_EMAIL_CHAR = r"[^@\s\x00-\x1f\x7f-\x9f]"
EMAIL_PATTERN = rf"^{_EMAIL_CHAR}{{1,64}}@{_EMAIL_CHAR}+\.{_EMAIL_CHAR}{{2,}}$"


class Credentials(BaseModel):
    """An email and password, for sign-up and login."""

    email: str = Field(pattern=EMAIL_PATTERN, max_length=254, examples=["ada@example.com"])
    password: str = Field(min_length=8, max_length=128, description="at least 8 characters")


class TokenPublic(BaseModel):
    """A bearer access token (RS256 JWT)."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="seconds until the token expires")


class SignUpAccepted(BaseModel):
    """The answer to every well-formed sign-up, whether or not the email was free.

    The same status and body either way, so sign-up cannot tell a caller which emails have
    accounts; the new account (if any) signs in through /v1/auth/login.
    """

    status: Literal["accepted"] = "accepted"
    detail: str = "If this email can be registered, the account is ready: sign in with it."


class MePublic(BaseModel):
    """The signed-in caller."""

    user_id: str
    role: Literal["applicant", "staff"]
    email: str | None = None


class Jwk(BaseModel):
    """One RSA public key (RFC 7517)."""

    kty: str
    kid: str
    use: str
    alg: str
    n: str
    e: str


class Jwks(BaseModel):
    """The public keys that verify our access tokens."""

    keys: list[Jwk]


class AuthConfigPublic(BaseModel):
    """Which identity provider the web app signs people in with.

    `local` means the API's own sign-up and login routes; `cognito` means AWS Amplify Auth
    against the named user pool, whose tokens the API then verifies.
    """

    provider: Literal["local", "cognito"]
    user_pool_id: str | None = None
    client_id: str | None = None
    region: str | None = None
