"""The FastAPI app factory: build services once, mount routes, serve the UI."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from starlette.concurrency import run_in_threadpool

from agent.advisor import build_advisor, warm_up
from api.deps import Services
from api.identity import LocalIdentityProvider, load_or_create_key
from api.metrics import HttpMetrics
from api.middleware import install_middleware
from api.openapi import install_openapi
from api.problems import install_problem_handlers
from api.ratelimit import RateLimiter
from api.routes import (
    applications,
    auth,
    chat,
    documents,
    experiments,
    feedback,
    health,
    kb,
    kb_admin,
    offers,
    staff,
)
from api.security import CognitoTokenVerifier, TokenVerifier
from api.wiring import (
    build_blob_store,
    build_knowledge_base,
    build_scorer,
)
from applications import build_application_service
from core.clock import SystemClock
from core.config import Settings, get_settings
from core.logging import configure_logging
from lending.policy import load_policy
from storage.factory import build_repositories
from tools.ports import PolicySearch, RiskScorer

STATIC_DIR = Path(__file__).parent / "static"
FRONTEND_DIST = Path(__file__).resolve().parent.parent / "frontend" / "dist"
log = logging.getLogger(__name__)

TAGS = [
    {"name": "auth", "description": "Local identity provider: sign-up, login, keys."},
    {"name": "chat", "description": "Conversations with the advisor, streamed as SSE."},
    {"name": "applications", "description": "Submit, track and withdraw loan applications."},
    {"name": "offers", "description": "Priced offers: list, adjust terms, compare, accept."},
    {"name": "documents", "description": "Proof of income and identity uploads."},
    {"name": "feedback", "description": "Process ratings and per-message thumbs."},
    {"name": "experiments", "description": "The caller's UI experiment arms."},
    {"name": "staff", "description": "Review queue, knowledge base and metrics (staff only)."},
    {"name": "health", "description": "Liveness, readiness and Prometheus metrics."},
]


def build_services(
    settings: Settings,
    checkpointer: BaseCheckpointSaver[str],
    *,
    scorer: RiskScorer | None = None,
    knowledge: PolicySearch | None = None,
) -> Services:
    """Build every client and repository once, from settings; the graph shares them.

    `scorer` and `knowledge` replace the configured credit model and knowledge base (tests).
    """
    clock = SystemClock()
    repos = build_repositories(settings, clock)
    scorer = scorer or build_scorer(settings)
    knowledge = knowledge if knowledge is not None else build_knowledge_base(settings)
    applications = build_application_service(repos, scorer, load_policy(), clock)
    graph = build_advisor(
        settings,
        checkpointer,
        scorer=scorer,
        knowledge=knowledge,
        events=repos.events,
        applications=applications,
        clock=clock,
    )
    identity: LocalIdentityProvider | None = None
    verifier: TokenVerifier
    if settings.mode == "aws" and settings.cognito_issuer and settings.cognito_jwks_url:
        verifier = CognitoTokenVerifier(
            settings.cognito_issuer, settings.cognito_jwks_url, settings.cognito_client_id
        )
    else:
        key = load_or_create_key(settings.var_dir / "auth")
        identity = LocalIdentityProvider(repos.users, key, clock, settings.token_ttl_seconds)
        verifier = identity.verifier
        if settings.staff_email and settings.staff_password:
            identity.ensure_staff(settings.staff_email, settings.staff_password.get_secret_value())
    return Services(
        settings=settings,
        clock=clock,
        repos=repos,
        graph=graph,
        verifier=verifier,
        blobs=build_blob_store(settings),
        identity=identity,
        applications=applications,
        knowledge_base=knowledge,
        user_limiter=RateLimiter(settings.rate_limit_user_per_minute),
    )


def create_app(
    settings: Settings | None = None,
    *,
    scorer: RiskScorer | None = None,
    knowledge: PolicySearch | None = None,
) -> FastAPI:
    """Return the app; services are built in the lifespan so tests can pass their own settings.

    `scorer` and `knowledge` override the configured credit model and knowledge base.
    """
    settings = settings or get_settings()
    metrics = HttpMetrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        settings.var_dir.mkdir(parents=True, exist_ok=True)
        async with AsyncSqliteSaver.from_conn_string(str(settings.checkpoint_path)) as saver:
            services = build_services(settings, saver, scorer=scorer, knowledge=knowledge)
            await run_in_threadpool(warm_up)
            app.state.services = services
            app.state.metrics = metrics
            try:
                yield
            finally:
                services.repos.close()

    app = FastAPI(
        title="Loan Advisor API",
        version="0.2.0",
        description="Agentic loan advice: chat, applications, offers, documents, feedback.",
        lifespan=lifespan,
        openapi_tags=TAGS,
    )
    app.state.metrics = metrics
    install_problem_handlers(app)
    install_openapi(app)
    install_middleware(app, settings, metrics)
    for module in (
        health,
        auth,
        chat,
        applications,
        offers,
        documents,
        feedback,
        staff,
        kb_admin,
        kb,
        experiments,
    ):
        app.include_router(module.router)
    _mount_ui(app)
    return app


def _mount_ui(app: FastAPI) -> None:
    """Serve the built React app when present, else the minimal chat page."""
    if (FRONTEND_DIST / "index.html").exists():
        app.mount("/", StaticFiles(directory=FRONTEND_DIST, html=True), name="ui")
        return

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html")


def run() -> None:
    """Serve the app with uvicorn on the configured host and port."""
    import uvicorn

    settings = get_settings()
    configure_logging(settings.log_level)
    if settings.api_workers > 1:
        # Worker processes each build the app from the same settings (environment); SQLite in
        # WAL mode serialises their writes. Rate limits are then per worker.
        uvicorn.run(
            "api.main:create_app",
            factory=True,
            workers=settings.api_workers,
            host=settings.host,
            port=settings.port,
            log_config=None,
            access_log=False,
        )
        return
    # uvicorn's own access log prints raw paths and query strings (ids, emails): ours logs
    # the route template instead (api/middleware.py).
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
    )
