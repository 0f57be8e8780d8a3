"""Run the scoring server with uvicorn, the way SageMaker starts a container (`... serve`).

uvicorn handles SIGTERM (what `docker stop` and SageMaker send) by closing the listening socket
and finishing in-flight requests (up to `GRACEFUL_SECONDS`). It then re-raises the signal so the
process dies "by signal" (exit 143); a stop that was asked for and completed is a success for a
container, so `_Server` drops that re-raise and the process exits 0.
"""

from __future__ import annotations

import logging
from pathlib import Path
from types import FrameType

import uvicorn

from scoring.server.app import DEFAULT_MAX_BODY_BYTES, create_app
from scoring.server.loading import load_state
from scoring.server.reload import ChampionWatcher, registry_root

GRACEFUL_SECONDS = 30
# Longer than the 60 s idle timeout of SageMaker's front end, so it (not us) closes idle
# keep-alive connections and never sends a request on a socket we are closing.
KEEP_ALIVE_SECONDS = 75
log = logging.getLogger("scoring.server")


class _Server(uvicorn.Server):
    """uvicorn's server, exiting 0 after a graceful SIGTERM/SIGINT shutdown."""

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        """Start the graceful shutdown without re-raising the signal once it is done."""
        super().handle_exit(sig, frame)
        captured = getattr(self, "_captured_signals", None)
        if isinstance(captured, list):
            captured.clear()


def serve(
    model_dir: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8080,
    max_rows: int = 10_000,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
) -> None:
    """Load the model in `model_dir` and serve until SIGTERM/SIGINT.

    A missing or broken model does not stop the server: `/ping` answers 503 with the reason,
    which is what SageMaker (and a person running it locally) needs to see. Served from a
    registry root, the server follows its champion pointer (hot swap, `scoring.server.reload`).
    """
    state = load_state(model_dir)
    app = create_app(state, max_rows=max_rows, max_body_bytes=max_body_bytes)
    root = registry_root(model_dir)
    watcher = ChampionWatcher(app.state.scoring, root).start() if root is not None else None
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_config=None,  # keep the process's JSON logging
        access_log=False,  # one structured line per invocation is logged by the app itself
        lifespan="off",
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        timeout_graceful_shutdown=GRACEFUL_SECONDS,
        server_header=False,
    )
    log.info("scoring server starting", extra={"host": host, "port": port, "ready": state.ready})
    try:
        _Server(config).run()
    finally:
        if watcher is not None:
            watcher.stop()
    log.info("scoring server stopped")
