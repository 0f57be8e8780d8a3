"""`serve` with two worker processes: both start on one var dir (one key pair, one staff
account), either can verify the other's tokens, and connections spread over both."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.integration.servers import api_server, free_port, running, tcp_sockets


def _sockets_of(pid: int) -> set[str]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    return inodes


def _children(pid: int) -> list[int]:
    return [int(task) for task in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_connections_opened_at_once_spread_over_both_workers(tmp_path):
    # uvicorn's shared socket let one worker accept a whole burst of keep-alive connections
    # while the other idled (0.88x of one worker in bench_api); each worker now listens on
    # its own SO_REUSEPORT socket and the kernel spreads connections by their addresses.
    port = free_port()
    env = {
        "LOAN_ADVISOR_VAR_DIR": str(tmp_path),
        "LOAN_ADVISOR_PORT": str(port),
        "LOAN_ADVISOR_API_WORKERS": "2",
    }
    base = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "cli.main", "serve"]
    with running(cmd, f"{base}/healthz", env=env, log=tmp_path / "server.log") as proc:
        deadline = time.monotonic() + 240
        while len(tcp_sockets(port, "0A")) < 2 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert len(tcp_sockets(port, "0A")) == 2  # one listening socket per worker, none shared
        clients = [httpx.Client(base_url=base, timeout=30) for _ in range(24)]
        try:
            for client in clients:  # each keeps its connection open (keep-alive)
                assert client.get("/healthz").status_code == 200
            open_now = tcp_sockets(port, "01")
            per_worker = sorted(len(_sockets_of(child) & open_now) for child in _children(proc.pid))
        finally:
            for client in clients:
                client.close()
    served = [n for n in per_worker if n]
    assert len(served) == 2 and sum(served) == 24, per_worker


def test_two_workers_share_keys_store_and_staff(tmp_path):
    env = {
        "LOAN_ADVISOR_API_WORKERS": "2",
        "LOAN_ADVISOR_STAFF_EMAIL": "staff@example.com",
        "LOAN_ADVISOR_STAFF_PASSWORD": "staff-password-1",
    }
    with api_server(tmp_path, env) as base, httpx.Client(base_url=base, timeout=30) as http:
        creds = {"email": "staff@example.com", "password": "staff-password-1"}
        token = http.post("/v1/auth/login", json=creds).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        # Fresh connections spread over both workers; every one accepts the token.
        for _ in range(10):
            with httpx.Client(base_url=base, timeout=30) as fresh:
                assert fresh.get("/v1/auth/me", headers=headers).json()["role"] == "staff"
    assert len(list((tmp_path / "auth").glob("*.pem"))) == 1
