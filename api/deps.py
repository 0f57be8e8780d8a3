"""Services built once at start-up and handed to routes through named dependencies."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from api.identity import LocalIdentityProvider
from api.ratelimit import RateLimiter
from api.security import Principal, VerifiedTokens
from applications.service import ApplicationService
from core.clock import Clock
from core.config import Settings
from core.errors import Forbidden, Unauthorized
from storage.blobs import BlobStore
from storage.repositories import Repositories


@dataclass
class Services:
    """Everything a route may use; built in the app's lifespan, never inside a route."""

    settings: Settings
    clock: Clock
    repos: Repositories
    graph: Any  # the compiled advisor graph (async checkpointer attached)
    verifier: VerifiedTokens
    blobs: BlobStore
    applications: ApplicationService
    identity: LocalIdentityProvider | None = None  # None in AWS mode (Cognito signs users in)
    knowledge_base: Any = None  # retrieval.service.KnowledgeBase when the index is built
    user_limiter: RateLimiter = field(default_factory=lambda: RateLimiter(600))
    experiments: Any = None  # experiments.store.ExperimentStore (A/B definitions, exposures)

    @property
    def threads(self) -> Any:
        """Return the thread repository (kept for the chat routes' brevity)."""
        return self.repos.threads


async def get_services(request: Request) -> Services:
    """Return the services built at start-up.

    The dependencies here are `async def` on purpose: FastAPI runs a plain `def` dependency
    in its thread pool, a hop per dependency per request for work that takes microseconds.
    """
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]
_bearer = HTTPBearer(auto_error=False, description="access token from /v1/auth/login or Cognito")


async def current_user(
    services: ServicesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """Return the verified caller, after charging one request to their rate budget."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("sign in first: send Authorization: Bearer <access token>")
    verifier, token = services.verifier, credentials.credentials
    principal = verifier.known(token)  # verified before and not expired: no signature check
    if principal is None and verifier.may_block:
        principal = await run_in_threadpool(verifier.verify, token)
    elif principal is None:
        principal = verifier.verify(token)
    retry_after = services.user_limiter.hit(f"user:{principal.user_id}")
    if retry_after:
        raise HTTPException(
            429,
            "Too many requests; slow down and retry later",
            headers={"Retry-After": str(retry_after)},
        )
    return principal


UserDep = Annotated[Principal, Depends(current_user)]


async def staff_user(user: UserDep) -> Principal:
    """Return the caller if they hold the staff role, else 403."""
    if not user.is_staff:
        raise Forbidden("this needs the staff role")
    return user


StaffDep = Annotated[Principal, Depends(staff_user)]
