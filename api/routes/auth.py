"""The local identity provider's routes: sign-up, login, who-am-I, and the JWKS."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request, status
from starlette.concurrency import run_in_threadpool

from api.deps import ServicesDep, UserDep
from api.identity import LocalIdentityProvider
from api.ratelimit import LoginThrottle
from api.schemas.auth import (
    AuthConfigPublic,
    Credentials,
    Jwks,
    MePublic,
    SignUpAccepted,
    TokenPublic,
)
from core.config import Settings
from core.errors import NotFound, Unauthorized, UpstreamUnavailable

router = APIRouter(tags=["auth"])


def _local(services: ServicesDep) -> LocalIdentityProvider:
    if services.identity is None:
        raise NotFound("sign-up and login go through Cognito in AWS mode")
    return services.identity


def auth_config(settings: Settings, local_idp: bool) -> AuthConfigPublic:
    """Say which identity provider the web app should use, matching the API's token verifier.

    The answer follows the verifier actually wired (local keys or Cognito's JWKS), so the web
    app never signs people in somewhere the API will not accept. The region comes from the
    pool id (`<region>_<suffix>`), which is how Cognito names pools.
    """
    if local_idp:
        return AuthConfigPublic(provider="local")
    pool, client = settings.cognito_user_pool_id, settings.cognito_client_id
    if not pool or not client:
        raise UpstreamUnavailable(
            "Cognito sign-in is not configured: set LOAN_ADVISOR_COGNITO_USER_POOL_ID and "
            "LOAN_ADVISOR_COGNITO_CLIENT_ID"
        )
    region = pool.split("_", 1)[0] if "_" in pool else settings.aws_region
    return AuthConfigPublic(provider="cognito", user_pool_id=pool, client_id=client, region=region)


@router.get("/v1/auth/config", response_model=AuthConfigPublic, operation_id="getAuthConfig")
def get_auth_config(services: ServicesDep) -> Any:
    """Tell the web app whether to sign in locally or through Cognito (public, no secrets)."""
    return auth_config(services.settings, local_idp=services.identity is not None)


@router.post(
    "/v1/auth/signup",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=SignUpAccepted,
    operation_id="signUp",
)
def sign_up(body: Credentials, services: ServicesDep) -> Any:
    """Ask for an applicant account, then sign in with /v1/auth/login.

    The answer is the same whether or not the email already has an account, so sign-up
    cannot be used to find out who is registered.
    """
    _local(services).register(body.email, body.password)
    return SignUpAccepted()


@router.post(
    "/v1/auth/login",
    response_model=TokenPublic,
    operation_id="logIn",
    responses={401: {"description": "wrong email or password"}},
)
async def log_in(body: Credentials, services: ServicesDep, request: Request) -> Any:
    """Exchange an email and password for an access token.

    After repeated wrong passwords for an account or from one client address, logins back
    off (429 with Retry-After) before the password is even checked.
    """
    idp = _local(services)
    accounts, addresses = _throttles(request)
    account_key = body.email.strip().lower()
    address_key = request.client.host if request.client else "unknown"
    wait = max(accounts.retry_after(account_key), addresses.retry_after(address_key))
    if wait:
        raise HTTPException(
            429,
            "Too many failed sign-ins; wait and retry later",
            headers={"Retry-After": str(wait)},
        )
    try:
        user = await run_in_threadpool(idp.authenticate, body.email, body.password)
    except Unauthorized:
        accounts.failed(account_key)
        addresses.failed(address_key)
        raise
    accounts.succeeded(account_key)
    return TokenPublic(access_token=idp.issue(user), expires_in=idp.ttl_seconds)


def _throttles(request: Request) -> tuple[LoginThrottle, LoginThrottle]:
    """Return the per-account and per-address login throttles installed with the middleware."""
    state = request.app.state
    return state.login_throttle_accounts, state.login_throttle_addresses


@router.get("/v1/auth/me", response_model=MePublic, operation_id="whoAmI")
def who_am_i(user: UserDep) -> Any:
    """Return the signed-in caller's id and role."""
    return MePublic(user_id=user.user_id, role=user.role, email=user.email)


@router.get("/.well-known/jwks.json", response_model=Jwks, operation_id="getJwks")
def jwks(services: ServicesDep, request: Request) -> Any:
    """Return the public keys that verify the local identity provider's tokens."""
    return _local(services).jwks()
