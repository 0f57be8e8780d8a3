"""Kill the server (SIGKILL) during 200 concurrent idempotent submissions, restart, and check
that every acknowledged application is stored exactly once and retries never duplicate."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.integration.servers import free_port, wait_http
from tests.unit.api.conftest import application_body

SUBMISSIONS = 200
KILL_AFTER_ACKS = 40
RETRY_FOR_S = 300


def _start(var_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "LOAN_ADVISOR_VAR_DIR": str(var_dir),
        "LOAN_ADVISOR_PORT": str(port),
        "LOAN_ADVISOR_LOG_LEVEL": "WARNING",
        "LOAN_ADVISOR_RATE_LIMIT_USER_PER_MINUTE": "100000",
        "LOAN_ADVISOR_CHAT_TURNS_PER_MINUTE": "100000",
    }
    log = (var_dir / f"server-{port}.log").open("ab")
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "serve"], env=env, stdout=log, stderr=log
    )
    wait_http(f"http://127.0.0.1:{port}/healthz", timeout=90, proc=proc)
    return proc


async def _submit_all(
    base: str, token: str, keys: list[str], proc=None, failures: dict[str, str] | None = None
) -> dict[str, str]:
    """Submit one application per key concurrently; return key -> id for acknowledged ones.

    `failures` collects why each unacknowledged key was not, so a red run names its cause.
    """
    acked: dict[str, str] = {}
    failed = failures if failures is not None else {}
    limits = httpx.Limits(max_connections=SUBMISSIONS)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as http:

        async def one(key: str) -> None:
            # A shed request (503 + Retry-After) is retried, as clients do, until a deadline
            # rather than a count: on a loaded CI machine 200 submissions can take minutes.
            deadline = time.monotonic() + RETRY_FOR_S
            while True:
                try:
                    r = await http.post(
                        "/v1/applications",
                        json=application_body(),
                        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key},
                    )
                except httpx.HTTPError as exc:
                    failed[key] = f"{type(exc).__name__}: {exc}"
                    return  # the server died before answering: not acknowledged
                if r.status_code != 503 or time.monotonic() > deadline:
                    break
                await asyncio.sleep(float(r.headers.get("Retry-After", "1")) * random.random())
            if r.status_code not in (200, 201):
                failed[key] = f"HTTP {r.status_code}: {r.text[:300]}"
                return
            acked[key] = r.json()["application_id"]
            if proc is not None and len(acked) == KILL_AFTER_ACKS:
                proc.send_signal(signal.SIGKILL)

        await asyncio.gather(*(one(k) for k in keys))
    return acked


@pytest.mark.slow
def test_acknowledged_submissions_survive_sigkill_exactly_once(tmp_path):
    keys = [f"durable-{i:04d}" for i in range(SUBMISSIONS)]
    port = free_port()
    proc = _start(tmp_path, port)
    base = f"http://127.0.0.1:{port}"
    try:
        creds = {"email": "durable@example.com", "password": "correct-horse-1"}
        httpx.post(f"{base}/v1/auth/signup", json=creds)
        token = httpx.post(f"{base}/v1/auth/login", json=creds).json()["access_token"]
        first = asyncio.run(_submit_all(base, token, keys, proc))
        proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        assert KILL_AFTER_ACKS <= len(first) < SUBMISSIONS  # killed mid-run
    finally:
        if proc.poll() is None:
            proc.kill()
    proc = _start(tmp_path, port)
    try:
        headers = {"Authorization": f"Bearer {token}"}  # the signing key survived the crash
        stored = httpx.get(f"{base}/v1/applications?limit=200", headers=headers).json()
        # Every acknowledged application is there; none is there twice.
        ids = [a["application_id"] for a in stored]
        assert len(ids) == len(set(ids))
        assert set(first.values()) <= set(ids)
        # Clients retry everything with the same keys: acknowledged ones replay, the rest land.
        failures: dict[str, str] = {}
        second = asyncio.run(_submit_all(base, token, keys, failures=failures))
        assert len(second) == SUBMISSIONS, failures
        assert all(second[k] == v for k, v in first.items())
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            log = (tmp_path / f"server-{port}.log").read_text(errors="replace")[-3000:]
            raise AssertionError(f"no stop within 30 s of SIGTERM:\n{log}") from None
    db = sqlite3.connect(tmp_path / "app.sqlite")
    (apps,) = db.execute("SELECT COUNT(*) FROM applications").fetchone()
    (keys_stored,) = db.execute("SELECT COUNT(*) FROM idempotency_keys").fetchone()
    assert apps == keys_stored == SUBMISSIONS
