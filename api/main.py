"""The FastAPI app factory: build services once, mount routes, serve the UI."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from langchain_core.language_models import BaseChatModel
from starlette.concurrency import run_in_threadpool

from agent.advisor import warm_up
from api import workers
from api.composition import Runtime, build_runtime, open_async_checkpointer
from api.deps import Services
from api.heap import freeze_startup_objects, release_startup_objects
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
    evals,
    experiments,
    feedback,
    feedback_reviews,
    health,
    kb,
    kb_admin,
    offers,
    ops,
    staff,
)
from api.ui_files import BuildFiles
from core.config import ConfigError, Settings, get_settings
from core.logging import configure_logging
from storage.event_batching import BatchedEventLog
from storage.events import EventRepository
from storage.sqlite import make_private_dir
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


def services_from(runtime: Runtime, events: EventRepository | None = None) -> Services:
    """Return what routes may use, taken from the runtime the composition root built.

    `events` replaces the routes' event log (the API's batched one for analytics events);
    the tools keep the runtime's, whose writes are synchronous.
    """
    settings = runtime.settings
    repos = runtime.repos if events is None else replace(runtime.repos, events=events)
    return Services(
        settings=settings,
        clock=runtime.clock,
        repos=repos,
        graph=runtime.graph,
        verifier=runtime.verifier,
        blobs=runtime.blobs,
        identity=runtime.identity,
        applications=runtime.applications,
        knowledge_base=runtime.knowledge,
        user_limiter=RateLimiter(settings.rate_limit_user_per_minute),
        experiments=runtime.experiments,
    )


def refuse_unservable(settings: Settings) -> None:
    """Exit with one line naming the setting to fix, not a traceback, when serving can't work."""
    try:
        settings.check_serving()
    except ConfigError as exc:
        raise SystemExit(f"loan-advisor: {exc}") from None


def create_app(
    settings: Settings | None = None,
    *,
    scorer: RiskScorer | None = None,
    knowledge: PolicySearch | None = None,
    model: BaseChatModel | None = None,
    eval_runs: evals.EvalRuns | None = None,
    freeze_heap: bool = False,
) -> FastAPI:
    """Return the app; services are built in the lifespan so tests can pass their own settings.

    `scorer`, `knowledge` and `model` override the configured credit model, knowledge base
    and chat-model client (see `api.composition.build_runtime`). `eval_runs` is the eval
    harness the staff eval routes use (`loan-advisor serve` passes `evals.jobs.EvalJobs`).
    `freeze_heap`: once started, keep startup objects out of the collector's full passes
    (`api.heap`); servers do, while a test process building hundreds of apps would pay a
    full collection for each.
    """
    settings = settings or get_settings()
    refuse_unservable(settings)
    metrics = HttpMetrics(settings.mode)
    overrides: dict[str, Any] = {"scorer": scorer, "model": model, "recorder": metrics.recorder}
    if knowledge is not None:
        overrides["knowledge"] = knowledge

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        make_private_dir(settings.var_dir)
        async with open_async_checkpointer(settings) as saver:
            # Building opens files and sockets and may load the index: off the event loop.
            runtime = await run_in_threadpool(lambda: build_runtime(settings, saver, **overrides))
            await run_in_threadpool(warm_up)
            # Embedded store: analytics events go through one writer, a batch per commit
            # (storage/event_batching.py). DynamoDB (Lambda) keeps synchronous writes: a
            # frozen function runs no background thread.
            batched = BatchedEventLog(runtime.repos.events) if settings.store == "sqlite" else None
            app.state.services = services_from(runtime, batched)
            app.state.metrics = metrics
            if freeze_heap:  # last: what exists now lives as long as the app does
                frozen = freeze_startup_objects()
                log.debug("froze %d startup objects out of the collector's passes", frozen)
            try:
                yield
            finally:
                if freeze_heap:
                    release_startup_objects()
                if batched is not None:
                    await run_in_threadpool(batched.close)
                runtime.close()

    app = FastAPI(
        title="Loan Advisor API",
        version="0.2.0",
        description="Agentic loan advice: chat, applications, offers, documents, feedback.",
        lifespan=lifespan,
        openapi_tags=TAGS,
    )
    app.state.metrics = metrics
    app.state.eval_runs = eval_runs
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
        feedback_reviews,
        staff,
        kb_admin,
        kb,
        experiments,
        ops,
        evals,
    ):
        app.include_router(module.router)
    _mount_ui(app)
    return app


def serve_app() -> FastAPI:
    """Build a worker process's app, as `create_app` from the environment, heap frozen."""
    return create_app(freeze_heap=True)


def _mount_ui(app: FastAPI, dist: Path = FRONTEND_DIST) -> None:
    """Serve the built React app when present (not its build metadata), else the chat page."""
    if (dist / "index.html").exists():
        app.mount("/", BuildFiles(directory=dist, html=True), name="ui")
        return

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html")


# uvicorn's supervisor pings each worker and replaces one that does not answer within this
# many seconds. Its default, 5 s, is shorter than a worker's boot on a busy 2-core machine
# (a spawned worker re-imports the CLI before its answering thread starts): every worker
# was killed mid-start and replaced, forever. A hung worker is still replaced, a minute on.
WORKER_HEALTHCHECK_TIMEOUT_S = 60
# On SIGTERM uvicorn waits for open connections to finish; an open chat stream (SSE) would
# hold a stop or a rolling deploy forever. In-flight requests get this long, then are closed.
GRACEFUL_SHUTDOWN_S = 20


def run(eval_runs: evals.EvalRuns | None = None) -> None:
    """Serve the app with uvicorn on the configured host and port (`eval_runs`: one worker)."""
    import uvicorn

    settings = get_settings()
    refuse_unservable(settings)
    configure_logging(settings.log_level)
    if settings.api_workers > 1:
        # Worker processes each build the app from the same settings (environment); SQLite in
        # WAL mode serialises their writes. Rate limits are then per worker.
        options: dict[str, Any] = {
            "app": "api.main:serve_app",
            "factory": True,
            "timeout_graceful_shutdown": GRACEFUL_SHUTDOWN_S,
            "host": settings.host,
            "port": settings.port,
            "log_config": None,
            "access_log": False,
            "proxy_headers": False,  # X-Forwarded-For trust: settings.trusted_proxies only
        }
        if workers.supported():  # a socket per worker: connections spread (api/workers.py)
            status = workers.Workers(options, settings.api_workers, settings.log_level).run()
            if status:
                raise SystemExit(status)
            return
        uvicorn.run(
            **options,
            workers=settings.api_workers,
            timeout_worker_healthcheck=WORKER_HEALTHCHECK_TIMEOUT_S,
        )
        return
    # uvicorn's own access log prints raw paths and query strings (ids, emails): ours logs
    # the route template instead (api/middleware.py).
    uvicorn.run(
        create_app(settings, eval_runs=eval_runs, freeze_heap=True),
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
        proxy_headers=False,  # X-Forwarded-For trust: settings.trusted_proxies only
    )
