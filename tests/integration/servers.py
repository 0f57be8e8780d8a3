"""Start and stop real local servers for integration tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    """Return a loopback port nobody is listening on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, timeout: float = 60.0, proc: subprocess.Popen[bytes] | None = None) -> None:
    """Poll `url` until it answers (any status below 500)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited early with code {proc.returncode}")
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout}s")


@contextmanager
def running(
    cmd: Sequence[str],
    ready_url: str,
    env: dict[str, str] | None = None,
    log: Path | None = None,
    timeout: float = 90.0,
) -> Iterator[subprocess.Popen[bytes]]:
    """Run `cmd` until the block ends; stop it with SIGTERM (then SIGKILL)."""
    out = log.open("wb") if log else subprocess.DEVNULL
    proc = subprocess.Popen(list(cmd), env={**os.environ, **(env or {})}, stdout=out, stderr=out)
    try:
        wait_http(ready_url, timeout=timeout, proc=proc)
        yield proc
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if log:
            out.close()


@contextmanager
def api_server(var_dir: Path, extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """Run the API with uvicorn on a free loopback port; yield its base URL."""
    port = free_port()
    env = {
        "LOAN_ADVISOR_VAR_DIR": str(var_dir),
        "LOAN_ADVISOR_PORT": str(port),
        **(extra_env or {}),
    }
    with running(
        [sys.executable, "-m", "cli.main", "serve"],
        f"http://127.0.0.1:{port}/healthz",
        env=env,
        log=var_dir / "server.log",
    ):
        yield f"http://127.0.0.1:{port}"


def tcp_sockets(port: int, state: str) -> set[str]:
    """Return the inodes of sockets on local `port` in a /proc/net/tcp state (Linux).

    "0A" is listening, "01" an open connection; a set empty where /proc is missing.
    """
    tcp = Path("/proc/net/tcp")
    if not tcp.exists():
        return set()
    found = set()
    for line in tcp.read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1].endswith(f":{port:04X}") and fields[3] == state:
            found.add(fields[9])
    return found
