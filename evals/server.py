"""Serve the real API in this process on a loopback port, for an eval run.

The run talks to it over HTTP like any client, so evals exercise the same auth, graph,
guardrails and SSE stream applicants get, and survive refactors behind the API.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn

from core.config import Settings


def eval_settings(var_dir: Path, provider: str) -> Settings:
    """Return settings for an eval API: its own var dir, the chosen provider, no rate limits.

    Every case is a new user, but all of them come from one IP; the per-IP limit protects a
    public service, not an eval run, so it is raised out of the way.
    """
    return Settings(
        var_dir=var_dir,
        provider=provider,
        rate_limit_ip_per_minute=1_000_000,
        rate_limit_user_per_minute=100_000,
        chat_turns_per_minute=100_000,  # one simulated applicant types faster than a person
        log_level="WARNING",
    )


@contextmanager
def serve_in_process(settings: Settings, timeout: float = 120.0) -> Iterator[str]:
    """Run the API on a free loopback port in a background thread; yield its base URL."""
    from api.main import create_app

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    config = uvicorn.Config(create_app(settings), log_config=None, access_log=False, lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive():
            sock.close()
            raise RuntimeError("the API stopped during start-up; see its log")
        if time.monotonic() > deadline:
            server.should_exit = True
            raise TimeoutError(f"the API did not start within {timeout:.0f}s")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()
