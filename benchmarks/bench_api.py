"""API load: 50 concurrent sessions for 60 s against a real server on loopback.

Each session signs up once, then loops: a chat turn (SSE, read to `done`), an application
submission (with an Idempotency-Key) and a read of that application. Reports requests/s,
p50/p95/p99 per kind and overall, and the error count. Ends with one JSON line.

Usage: python benchmarks/bench_api.py [--sessions 50] [--seconds 60]
If var/models holds a trained champion, the server uses it (decisions are scored);
otherwise submissions are stored as received (decision pending).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.integration.servers import api_server  # noqa: E402
from tests.unit.api.conftest import application_body  # noqa: E402

MESSAGE = "I want a car loan of $20,000 over 4 years"
BODY: dict[str, Any] = application_body()  # type: ignore[no-untyped-call]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1) if ordered else 0.0


async def session(
    base: str, n: int, stop_at: float, lat: dict[str, list[float]], errors: list[str]
) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        creds = {
            "email": f"bench{n}-{uuid.uuid4().hex[:6]}@example.com",
            "password": "bench-pass-1",
        }
        token = (await http.post("/v1/auth/signup", json=creds)).json()["access_token"]
        http.headers["Authorization"] = f"Bearer {token}"
        thread = (await http.post("/v1/threads", json={})).json()["thread_id"]
        while time.perf_counter() < stop_at:
            t0 = time.perf_counter()
            try:
                async with http.stream(
                    "POST", f"/v1/chat/{thread}", json={"message": MESSAGE}
                ) as r:
                    ok = r.status_code == 200
                    done = False
                    async for line in r.aiter_lines():
                        if line.startswith("event: error"):
                            ok = False
                        if line.startswith("event: done"):
                            done = True
                            break
                    if not (ok and done):
                        errors.append(f"chat {r.status_code}")
                lat["chat_turn"].append((time.perf_counter() - t0) * 1000)
                t0 = time.perf_counter()
                r = await http.post(
                    "/v1/applications",
                    json=BODY,
                    headers={"Idempotency-Key": uuid.uuid4().hex},
                )
                lat["submit"].append((time.perf_counter() - t0) * 1000)
                if r.status_code != 201:
                    errors.append(f"submit {r.status_code}")
                    continue
                t0 = time.perf_counter()
                r = await http.get(f"/v1/applications/{r.json()['application_id']}")
                lat["get_application"].append((time.perf_counter() - t0) * 1000)
                if r.status_code != 200:
                    errors.append(f"get {r.status_code}")
            except httpx.HTTPError as exc:
                errors.append(type(exc).__name__)


async def run(base: str, sessions: int, seconds: float) -> dict[str, Any]:
    # Warm-up: the first turn loads the advisor's NLU and the encoder; not what we measure.
    async with httpx.AsyncClient(base_url=base, timeout=120) as http:
        creds = {"email": "warmup@example.com", "password": "bench-pass-1"}
        token = (await http.post("/v1/auth/signup", json=creds)).json()["access_token"]
        http.headers["Authorization"] = f"Bearer {token}"
        thread = (await http.post("/v1/threads", json={})).json()["thread_id"]
        (await http.post(f"/v1/chat/{thread}", json={"message": MESSAGE})).raise_for_status()
    lat: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    start = time.perf_counter()
    stop_at = start + seconds
    await asyncio.gather(*(session(base, i, stop_at, lat, errors) for i in range(sessions)))
    elapsed = time.perf_counter() - start
    every = [x for values in lat.values() for x in values]
    kinds = {
        kind: {"n": len(v), "p50_ms": pct(v, 0.5), "p95_ms": pct(v, 0.95), "p99_ms": pct(v, 0.99)}
        for kind, v in sorted(lat.items())
    }
    return {
        "sessions": sessions,
        "seconds": round(elapsed, 1),
        "requests": len(every),
        "requests_per_s": round(len(every) / elapsed, 1),
        "p50_ms": pct(every, 0.5),
        "p95_ms": pct(every, 0.95),
        "p99_ms": pct(every, 0.99),
        "errors": len(errors),
        "error_kinds": sorted(set(errors))[:5],
        "by_kind": kinds,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    args = parser.parse_args()
    env = {
        "LOAN_ADVISOR_RATE_LIMIT_USER_PER_MINUTE": "1000000",
        "LOAN_ADVISOR_RATE_LIMIT_IP_PER_MINUTE": "1000000",
        "LOAN_ADVISOR_LOG_LEVEL": "WARNING",
        "LOAN_ADVISOR_API_WORKERS": str(args.workers),
    }
    with tempfile.TemporaryDirectory() as tmp:
        var = Path(tmp)
        models = ROOT / "var" / "models"
        if (models / "CHAMPION").exists():
            (var / "models").symlink_to(models)
        with api_server(var, env) as base:
            result = asyncio.run(run(base, args.sessions, args.seconds))
    result["scored"] = (ROOT / "var" / "models" / "CHAMPION").exists()
    result["workers"] = args.workers
    print(
        f"sessions={result['sessions']} requests={result['requests']} "
        f"req/s={result['requests_per_s']} p50={result['p50_ms']} ms p95={result['p95_ms']} ms "
        f"p99={result['p99_ms']} ms errors={result['errors']}"
    )
    for kind, row in result["by_kind"].items():
        print(
            f"  {kind:<16} n={row['n']:>5} p50={row['p50_ms']:>7} "
            f"p95={row['p95_ms']:>7} p99={row['p99_ms']:>7}"
        )
    print(json.dumps({"bench": "api", **result}))


if __name__ == "__main__":
    main()
