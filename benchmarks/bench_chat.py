"""Chat turn throughput and latency through the real HTTP endpoint (SSE), 1 and 20 clients.

Starts the API with uvicorn on a free loopback port (fresh var dir), then runs
full apply-and-quote turns. Prints a table and ends with one JSON line.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.integration.servers import api_server  # noqa: E402

MESSAGE = "I want a car loan of $20,000 over 4 years"


async def one_turn(http: httpx.AsyncClient, thread: str) -> float:
    start = time.perf_counter()
    async with http.stream("POST", f"/v1/chat/{thread}", json={"message": MESSAGE}) as r:
        r.raise_for_status()
        async for line in r.aiter_lines():
            if line.startswith("event: done"):
                break
    return (time.perf_counter() - start) * 1000


async def run(base: str, clients: int, turns_per_client: int) -> dict[str, float]:
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        creds = {"email": f"bench{clients}@example.com", "password": "bench-password-1"}
        await http.post("/v1/auth/signup", json=creds)
        token = (await http.post("/v1/auth/login", json=creds)).json()["access_token"]
        http.headers["Authorization"] = f"Bearer {token}"
        threads = [
            (await http.post("/v1/threads", json={})).json()["thread_id"] for _ in range(clients)
        ]

        async def client(thread: str) -> list[float]:
            return [await one_turn(http, thread) for _ in range(turns_per_client)]

        await one_turn(http, threads[0])  # warm-up
        start = time.perf_counter()
        results = await asyncio.gather(*(client(t) for t in threads))
        elapsed = time.perf_counter() - start
    latencies = sorted(x for r in results for x in r)
    return {
        "clients": clients,
        "turns": len(latencies),
        "turns_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 1),
    }


def main() -> None:
    with (
        tempfile.TemporaryDirectory() as tmp,
        api_server(Path(tmp), {"LOAN_ADVISOR_CHAT_TURNS_PER_MINUTE": "1000000"}) as base,
    ):
        rows = [asyncio.run(run(base, 1, 50)), asyncio.run(run(base, 20, 10))]
    for row in rows:
        print(
            f"clients={row['clients']:>3} turns={row['turns']:>4} "
            f"turns/s={row['turns_per_s']:>7} p50={row['p50_ms']:>7} ms p95={row['p95_ms']:>7} ms"
        )
    print(json.dumps({"bench": "chat", "results": rows}))


if __name__ == "__main__":
    main()
