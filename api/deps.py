"""Services built once at start-up and handed to routes through named dependencies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request

from core.clock import Clock
from core.config import Settings
from storage.threads import ThreadRepository


@dataclass
class Services:
    """Everything a route may use; built in the app's lifespan, never inside a route."""

    settings: Settings
    clock: Clock
    threads: ThreadRepository
    graph: Any  # the compiled advisor graph (async checkpointer attached)


def get_services(request: Request) -> Services:
    """Return the services built at start-up."""
    services: Services = request.app.state.services
    return services


def current_user() -> str:
    """Return the caller's user id.

    The walking skeleton has a single local user; the auth issue replaces this
    with JWT verification (local identity provider or Cognito).
    """
    return "local-user"


ServicesDep = Annotated[Services, Depends(get_services)]
UserDep = Annotated[str, Depends(current_user)]
