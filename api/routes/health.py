"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel

from api.deps import ServicesDep

router = APIRouter(tags=["health"])


class Health(BaseModel):
    """Liveness answer."""

    status: str


class Readiness(BaseModel):
    """Readiness answer with each dependency's state."""

    status: str
    checks: dict[str, str]
    provider: str


@router.get("/healthz", response_model=Health, operation_id="healthz")
def healthz() -> Any:
    """Say the process is up."""
    return Health(status="ok")


@router.get(
    "/readyz",
    response_model=Readiness,
    operation_id="readyz",
    responses={503: {"model": Readiness, "description": "a dependency is not ready"}},
)
def readyz(services: ServicesDep) -> Any:
    """Say whether the store, the credit model and the knowledge-base index answer."""
    checks: dict[str, str] = {}
    try:
        services.repos.ping()
        checks["store"] = "ok"
    except Exception as exc:  # readiness reports failures, it never raises them
        checks["store"] = f"error: {type(exc).__name__}"
    checks["scorer"] = _scorer_state(services)
    kb = services.knowledge_base
    checks["index"] = "ok" if kb is not None and _kb_ok(kb) else "unavailable"
    ready = all(v == "ok" for v in checks.values())
    body = Readiness(
        status="ready" if ready else "not_ready", checks=checks, provider=services.settings.provider
    )
    return JSONResponse(body.model_dump(), status_code=200 if ready else 503)


def _scorer_state(services: ServicesDep) -> str:
    from scoring.registry import champion_id

    if services.settings.scorer != "inprocess":
        return "ok"  # remote endpoints are checked by the scoring client's own health probe
    return "ok" if champion_id(services.settings.var_dir) else "no champion model"


def _kb_ok(kb: Any) -> bool:
    try:
        return bool(kb.index.indexed_versions())
    except Exception:
        return False


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request) -> Response:
    """Expose Prometheus metrics."""
    return Response(
        generate_latest(request.app.state.metrics.registry), media_type=CONTENT_TYPE_LATEST
    )
