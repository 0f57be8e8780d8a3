"""Liveness and readiness probes."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import ServicesDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """Say the process is up."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(services: ServicesDep) -> dict[str, str]:
    """Say the dependencies answer: the store and the advisor graph."""
    services.threads.list_for("__readyz__", limit=1)
    return {"status": "ready", "provider": services.settings.provider}
