"""API load: 50 concurrent sessions for 60 s against a real server on loopback.

Each session signs up once, before the clock starts, then loops. `--mix apply` (default): a
chat turn (SSE, read to `done`), an application submission (with an Idempotency-Key) and a
read of that application. `--mix chat`: chat turns only, a three-message script with a new
thread every three turns, as bench_serving drives a server. Reports requests/s,
p50/p95/p99 per kind and overall, server and client CPU, and the error count. Ends with one
JSON line. The load client is aiohttp on uvloop: it shares the cores with the server, so the
cheaper it is per request, the nearer the figures are to what the server alone could do.

Two load models, one after the other on the same server:
- `paced` (the target): each session waits a think time, uniform in [--think-min,
  --think-max] seconds (default 1-3 s), before each request, as a locust user's `wait_time`
  does. People take far longer to read a reply and type the next message, so this is
  busier than 50 real applicants. Target: zero errors, chat turn p95 < 300 ms.
- `closed` (stress, `--think-max 0` alone): no think time, every session fires its next
  request the moment the last one ends. This measures saturation throughput, not the
  latency 50 people see: latency is then sessions x CPU per loop, by Little's law.

Usage: python benchmarks/bench_api.py [--sessions 50] [--seconds 60] [--workers 1]
       [--think-min 1] [--think-max 3] [--no-stress] [--mix apply|chat]
If var/models holds a trained champion, the server uses it (decisions are scored);
otherwise submissions are stored as received (decision pending).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import uvloop

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.integration.servers import free_port, running, tcp_sockets  # noqa: E402
from tests.unit.api.conftest import application_body  # noqa: E402

MESSAGE = "I want a car loan of $20,000 over 4 years"
CHAT_SCRIPT = (MESSAGE, "What documents do I need to apply?", "What would the monthly payment be?")
CHAT_P95_TARGET_MS = 300.0
BODY: dict[str, Any] = application_body()  # type: ignore[no-untyped-call]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1) if ordered else 0.0


async def sign_in(base: str, n: int) -> tuple[aiohttp.ClientSession, str]:
    """Sign session `n`'s own user up and in (before the clock: argon2 is slow on purpose).

    Returns the session's client, which sends its token on every request, and its thread.
    """
    creds = {"email": f"bench{n}-{uuid.uuid4().hex[:6]}@example.com", "password": "bench-pass-1"}
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        await http.post("/v1/auth/signup", json=creds)
        token = (await http.post("/v1/auth/login", json=creds)).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        thread = (await http.post("/v1/threads", json={}, headers=auth)).json()["thread_id"]
    # aiohttp, not httpx, for the load itself: its C parser leaves more CPU to the server.
    client = aiohttp.ClientSession(
        base_url=base, headers=auth, timeout=aiohttp.ClientTimeout(total=60)
    )
    return client, str(thread)


@dataclass
class Window:
    """One run's clock, think time and what its sessions record."""

    stop_at: float
    think: tuple[float, float]
    lat: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)

    async def pause(self, rng: random.Random) -> bool:
        """Think, as a person would; False once the window is over (the session stops)."""
        if self.think[1] > 0:
            left = self.stop_at - time.perf_counter()
            await asyncio.sleep(max(0.0, min(rng.uniform(*self.think), left)))
        return time.perf_counter() < self.stop_at


async def chat_turn(http: aiohttp.ClientSession, thread: str, message: str, w: Window) -> None:
    """Send one message and read its stream to the end; timed to the `done` event."""
    t0 = time.perf_counter()
    async with http.post(f"/v1/chat/{thread}", json={"message": message}) as r:
        ok, done = r.status == 200, False
        async for line in r.content:
            if line.startswith(b"event: error"):
                ok = False
            if line.startswith(b"event: done"):
                done = True
                w.lat["chat_turn"].append((time.perf_counter() - t0) * 1000)
        if not (ok and done):
            w.errors.append(f"chat {r.status}")


async def chat_session(http: aiohttp.ClientSession, thread: str, n: int, w: Window) -> None:
    """Chat only, as bench_serving's sessions do: a new conversation every few turns."""
    rng = random.Random(n)
    turn = 0
    while await w.pause(rng):
        try:
            if turn and turn % len(CHAT_SCRIPT) == 0:
                t0 = time.perf_counter()
                async with http.post("/v1/threads", json={}) as r:
                    thread = str((await r.json())["thread_id"])
                w.lat["new_thread"].append((time.perf_counter() - t0) * 1000)
            await chat_turn(http, thread, CHAT_SCRIPT[turn % len(CHAT_SCRIPT)], w)
        except (aiohttp.ClientError, TimeoutError, KeyError) as exc:
            w.errors.append(type(exc).__name__)
        turn += 1


async def session(http: aiohttp.ClientSession, thread: str, n: int, w: Window) -> None:
    """Chat, submit an application, read it back: a think time before each request."""
    rng = random.Random(n)
    await w.pause(rng)
    while time.perf_counter() < w.stop_at:
        try:
            await chat_turn(http, thread, MESSAGE, w)
            if not await w.pause(rng):
                break
            t0 = time.perf_counter()
            key = {"Idempotency-Key": uuid.uuid4().hex}
            async with http.post("/v1/applications", json=BODY, headers=key) as r:
                created = await r.json() if r.status == 201 else None
            w.lat["submit"].append((time.perf_counter() - t0) * 1000)
            if created is None:
                w.errors.append(f"submit {r.status}")
                continue
            if not await w.pause(rng):
                break
            t0 = time.perf_counter()
            async with http.get(f"/v1/applications/{created['application_id']}") as r:
                await r.read()
            w.lat["get_application"].append((time.perf_counter() - t0) * 1000)
            if r.status != 200:
                w.errors.append(f"get {r.status}")
            await w.pause(rng)
        except (aiohttp.ClientError, TimeoutError) as exc:
            w.errors.append(type(exc).__name__)


def server_cpu_seconds(pids: list[int]) -> float:
    """CPU (user + system) used so far by the server's processes, from /proc (Linux)."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def server_pids(port: str) -> list[int]:
    """The processes serving `port`: the uvicorn process and any worker children."""
    out = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            env = (proc / "environ").read_bytes()
        except OSError:
            continue
        if "python" in cmd and f"LOAN_ADVISOR_PORT={port}".encode() in env:
            out.append(int(proc.name))
    return out


def wait_listening(port: int, workers: int, timeout: float = 300.0) -> None:
    """Wait until every worker listens (Linux): /healthz answers once the first one does.

    A connection made while a worker still boots goes to the others and, kept alive, stays
    there for the whole run, so a run started early measures fewer workers than it names.
    """
    if workers < 2 or not Path("/proc/net/tcp").exists():
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(tcp_sockets(port, "0A")) >= workers:
            return
        time.sleep(0.5)
    raise SystemExit(f"only some of the {workers} workers listen on port {port}")


async def warm_up(base: str) -> None:
    """One turn first: it loads the advisor's NLU and the encoder; not what we measure."""
    async with httpx.AsyncClient(base_url=base, timeout=120) as http:
        creds = {"email": f"warmup-{uuid.uuid4().hex[:6]}@example.com", "password": "bench-pass-1"}
        await http.post("/v1/auth/signup", json=creds)
        token = (await http.post("/v1/auth/login", json=creds)).json()["access_token"]
        http.headers["Authorization"] = f"Bearer {token}"
        thread = (await http.post("/v1/threads", json={})).json()["thread_id"]
        (await http.post(f"/v1/chat/{thread}", json={"message": MESSAGE})).raise_for_status()


async def run(
    base: str,
    sessions: int,
    seconds: float,
    think: tuple[float, float] = (0.0, 0.0),
    mix: str = "apply",
) -> dict[str, Any]:
    await warm_up(base)
    pids = server_pids(base.rsplit(":", 1)[1])
    signed = await asyncio.gather(*(sign_in(base, i) for i in range(sessions)))
    clients = [c for c, _ in signed]
    threads = [t for _, t in signed]
    cpu0 = server_cpu_seconds(pids)
    each0 = [server_cpu_seconds([pid]) for pid in pids]
    client0 = time.process_time()
    start = time.perf_counter()
    w = Window(start + seconds, think)
    loop = chat_session if mix == "chat" else session
    await asyncio.gather(
        *(loop(c, t, i, w) for i, (c, t) in enumerate(zip(clients, threads, strict=True)))
    )
    elapsed = time.perf_counter() - start
    await asyncio.gather(*(c.close() for c in clients))
    cpu = server_cpu_seconds(pids) - cpu0
    each = [server_cpu_seconds([pid]) - c for pid, c in zip(pids, each0, strict=True)]
    client_cpu = time.process_time() - client0
    every = [x for values in w.lat.values() for x in values]
    kinds = {
        kind: {"n": len(v), "p50_ms": pct(v, 0.5), "p95_ms": pct(v, 0.95), "p99_ms": pct(v, 0.99)}
        for kind, v in sorted(w.lat.items())
    }
    chat_p95 = kinds.get("chat_turn", {}).get("p95_ms", float("inf"))
    return {
        "load": "paced" if think[1] > 0 else "closed",
        "mix": mix,
        "think_s": list(think),
        "sessions": sessions,
        "seconds": round(elapsed, 1),
        "server_cpu_percent": round(100 * cpu / elapsed, 1),
        # Per process, busiest first: with workers, whether the connections spread over them
        # (each keep-alive connection stays with the worker that accepted it).
        "process_cpu_percent": sorted((round(100 * c / elapsed, 1) for c in each), reverse=True),
        # The load client shares the cores: what it burns, the server cannot have.
        "client_cpu_percent": round(100 * client_cpu / elapsed, 1),
        "server_cpu_ms_per_request": round(1000 * cpu / max(1, len(every)), 2),
        "client_cpu_ms_per_request": round(1000 * client_cpu / max(1, len(every)), 2),
        "requests": len(every),
        "requests_per_s": round(len(every) / elapsed, 1),
        "p50_ms": pct(every, 0.5),
        "p95_ms": pct(every, 0.95),
        "p99_ms": pct(every, 0.99),
        "errors": len(w.errors),
        "error_kinds": sorted(set(w.errors))[:5],
        "by_kind": kinds,
        "target_met": not w.errors and chat_p95 < CHAT_P95_TARGET_MS,
    }


def report(result: dict[str, Any]) -> None:
    """Print one load model's figures."""
    think = result["think_s"]
    pace = f"think {think[0]:g}-{think[1]:g} s" if result["load"] == "paced" else "no think time"
    print(
        f"[{result['load']}: {pace}, {result['mix']}] sessions={result['sessions']} "
        f"requests={result['requests']} req/s={result['requests_per_s']} "
        f"p50={result['p50_ms']} ms p95={result['p95_ms']} ms p99={result['p99_ms']} ms "
        f"errors={result['errors']} server CPU {result['server_cpu_percent']}% "
        f"({result['server_cpu_ms_per_request']} ms/request), client CPU "
        f"{result['client_cpu_percent']}% ({result['client_cpu_ms_per_request']} ms/request); "
        f"per server process {result['process_cpu_percent']}%"
    )
    for kind, row in result["by_kind"].items():
        print(
            f"  {kind:<16} n={row['n']:>5} p50={row['p50_ms']:>7} "
            f"p95={row['p95_ms']:>7} p99={row['p99_ms']:>7}"
        )
    verdict = "met" if result["target_met"] else "NOT met"
    print(f"  target (0 errors, chat p95 < {CHAT_P95_TARGET_MS:g} ms): {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--think-min", type=float, default=1.0, help="seconds, paced load")
    parser.add_argument("--think-max", type=float, default=3.0, help="0: closed loop only")
    parser.add_argument(
        "--mix",
        choices=("apply", "chat"),
        default="apply",
        help="apply: chat, submit, read per loop; chat: chat turns only, a new thread every 3",
    )
    parser.add_argument(
        "--no-stress", action="store_true", help="skip the closed-loop (no think time) run"
    )
    args = parser.parse_args()
    env = {
        "LOAN_ADVISOR_RATE_LIMIT_USER_PER_MINUTE": "1000000",
        "LOAN_ADVISOR_CHAT_TURNS_PER_MINUTE": "1000000",
        "LOAN_ADVISOR_RATE_LIMIT_IP_PER_MINUTE": "1000000",
        "LOAN_ADVISOR_LOG_LEVEL": "WARNING",
        "LOAN_ADVISOR_API_WORKERS": str(args.workers),
    }
    loads = []
    if args.think_max > 0:
        loads.append((args.think_min, args.think_max))
    if args.think_max <= 0 or not args.no_stress:
        loads.append((0.0, 0.0))
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        var = Path(tmp)
        models = ROOT / "var" / "models"
        if (models / "CHAMPION").exists():
            (var / "models").symlink_to(models)
        port = free_port()
        env |= {"LOAN_ADVISOR_VAR_DIR": str(var), "LOAN_ADVISOR_PORT": str(port)}
        base = f"http://127.0.0.1:{port}"
        # As `make run`: artifacts first (the KB index), so workers never build it at once.
        subprocess.run([sys.executable, "-m", "cli.main", "prepare"], env={**os.environ, **env},
                       check=True, capture_output=True)  # fmt: skip
        # Each worker loads the graph: a minute or more on a loaded 2-core machine.
        cmd = [sys.executable, "-m", "cli.main", "serve"]
        with running(cmd, f"{base}/healthz", env=env, log=var / "server.log", timeout=300):
            wait_listening(port, args.workers)
            for think in loads:
                results.append(uvloop.run(run(base, args.sessions, args.seconds, think, args.mix)))
    scored = (ROOT / "var" / "models" / "CHAMPION").exists()
    for result in results:
        report(result)
    head = results[0]
    print(
        json.dumps(
            {
                "bench": "api",
                **head,
                "scored": scored,
                "workers": args.workers,
                "stress": results[1] if len(results) > 1 else None,
            }
        )
    )


if __name__ == "__main__":
    main()
