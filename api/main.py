"""The FastAPI app factory: build services once, mount routes, serve the UI."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

from agent.advisor import build_advisor
from api.deps import Services
from api.middleware import install_middleware
from api.problems import install_problem_handlers
from api.routes import chat, health
from core.clock import SystemClock
from core.config import Settings, get_settings
from core.logging import configure_logging
from storage.sqlite import connect
from storage.threads import SqliteThreadRepository

STATIC_DIR = Path(__file__).parent / "static"
FRONTEND_DIST = Path(__file__).resolve().parent.parent / "frontend" / "dist"


def create_app(settings: Settings | None = None) -> FastAPI:
    """Return the app; services are built in the lifespan so tests can pass their own settings."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        settings.var_dir.mkdir(parents=True, exist_ok=True)
        conn = connect(settings.app_db_path)
        async with AsyncSqliteSaver.from_conn_string(str(settings.checkpoint_path)) as saver:
            app.state.services = Services(
                settings=settings,
                clock=SystemClock(),
                threads=SqliteThreadRepository(conn, SystemClock()),
                graph=build_advisor(settings, saver),
            )
            yield
        conn.close()

    app = FastAPI(
        title="Loan Advisor API",
        version="0.1.0",
        description="Agentic loan advice: chat, applications, offers.",
        lifespan=lifespan,
    )
    install_problem_handlers(app)
    install_middleware(app, settings)
    app.include_router(health.router)
    app.include_router(chat.router)
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
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_config=None)
