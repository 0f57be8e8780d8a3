"""Overload: 200 concurrent users with no think time against a real server on loopback.

Run twice, on a fresh server each: without the in-flight cap (`max_in_flight_requests=0`)
and with it. Each user signs in once, then sends chat turns back to back (SSE, read to
`done`) until the window ends; a probe polls /healthz meanwhile. Reports, per run, the
requests sent, the share answered 503, latency p50/p99 over all answers and over the
served (2xx) ones, and the /healthz p99. Ends with one JSON line.

Without a cap every request queues, so p99 grows with the crowd; with it the excess gets
an immediate 503 + Retry-After and the admitted requests keep their latency.

Usage: python benchmarks/bench_overload.py [--users 200] [--seconds 30] [--cap 64]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.integration.servers import api_server  # noqa: E402

MESSAGE = "I want a car loan of $20,000 over 4 years"
UNLIMITED = {
    "LOAN_ADVISOR_RATE_LIMIT_USER_PER_MINUTE": "100000000",
    "LOAN_ADVISOR_RATE_LIMIT_IP_PER_MINUTE": "100000000",
    "LOAN_ADVISOR_CHAT_TURNS_PER_MINUTE": "100000000",
    "LOAN_ADVISOR_LOG_LEVEL": "WARNING",
}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1) if ordered else 0.0


async def _retrying(call: Any) -> httpx.Response:
    """Repeat a set-up request while the server sheds load (it says when to retry)."""
    while True:
        r: httpx.Response = await call()
        if r.status_code != 503:
            return r
        await asyncio.sleep(float(r.headers.get("Retry-After", "1")))


async def sign_in(base: str, n: int, gate: asyncio.Semaphore) -> tuple[str, str]:
    """Create user `n` and a thread; return (token, thread id)."""
    async with gate, httpx.AsyncClient(base_url=base, timeout=120) as http:
        creds = {"email": f"load{n}@example.com", "password": "overload-pass-1"}
        await _retrying(lambda: http.post("/v1/auth/signup", json=creds))
        r = await _retrying(lambda: http.post("/v1/auth/login", json=creds))
        token = r.json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        r = await _retrying(lambda: http.post("/v1/threads", json={}, headers=headers))
        return token, r.json()["thread_id"]


async def user(
    base: str, token: str, thread: str, stop_at: float, answers: list[tuple[int, float]]
) -> None:
    """Send chat turns back to back until `stop_at`; record (status, ms) for each."""
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, timeout=300, headers=headers) as http:
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            try:
                async with http.stream(
                    "POST", f"/v1/chat/{thread}", json={"message": MESSAGE}
                ) as r:
                    async for _ in r.aiter_bytes():
                        pass
                    status = r.status_code
            except httpx.HTTPError:
                status = 0
            answers.append((status, (time.perf_counter() - started) * 1000))
            if status == 503:  # a polite client honours Retry-After
                await asyncio.sleep(float(r.headers.get("Retry-After", "1")))


async def probe(base: str, stop_at: float, out: list[float]) -> None:
    """Poll /healthz twice a second; it must stay quick under overload."""
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            await http.get("/healthz")
            out.append((time.perf_counter() - started) * 1000)
            await asyncio.sleep(0.5)


async def drive(base: str, users: int, seconds: float) -> dict[str, Any]:
    gate = asyncio.Semaphore(8)
    pending = [asyncio.create_task(sign_in(base, n, gate)) for n in range(users)]
    sessions = [await t for t in tqdm(pending, desc="sign-in", leave=False)]
    answers: list[tuple[int, float]] = []
    health: list[float] = []
    stop_at = time.perf_counter() + seconds
    started = time.perf_counter()
    await asyncio.gather(
        probe(base, stop_at, health),
        *(user(base, token, thread, stop_at, answers) for token, thread in sessions),
    )
    elapsed = time.perf_counter() - started
    served = [ms for status, ms in answers if 200 <= status < 300]
    shed = sum(1 for status, _ in answers if status == 503)
    other = sum(1 for status, _ in answers if not (200 <= status < 300 or status == 503))
    return {
        "requests": len(answers),
        "served": len(served),
        "served_per_s": round(len(served) / elapsed, 1),
        "shed_503": shed,
        "share_503": round(shed / len(answers), 3) if answers else 0.0,
        "other_errors": other,
        "p50_ms": pct([ms for _, ms in answers], 0.5),
        "p99_ms": pct([ms for _, ms in answers], 0.99),
        "served_p50_ms": pct(served, 0.5),
        "served_p99_ms": pct(served, 0.99),
        "healthz_p99_ms": pct(health, 0.99),
    }


def run(cap: int, users: int, seconds: float) -> dict[str, Any]:
    env = {**UNLIMITED, "LOAN_ADVISOR_MAX_IN_FLIGHT_REQUESTS": str(cap)}
    with tempfile.TemporaryDirectory() as tmp, api_server(Path(tmp), env) as base:
        return asyncio.run(drive(base, users, seconds))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--cap", type=int, default=64, help="in-flight cap (the setting default)")
    args = parser.parse_args()
    results = {
        "uncapped": run(0, args.users, args.seconds),
        f"cap_{args.cap}": run(args.cap, args.users, args.seconds),
    }
    keys = list(next(iter(results.values())))
    print(f"{'':>16}" + "".join(f"{name:>14}" for name in results))  # noqa: T201
    for key in keys:
        print(f"{key:>16}" + "".join(f"{r[key]:>14}" for r in results.values()))  # noqa: T201
    print(json.dumps({"bench": "overload", "users": args.users, **results}))  # noqa: T201


if __name__ == "__main__":
    main()
