"""Serving: our API against the reference LangGraph server, both serving the advisor graph.

A = our API (`cli.main serve`: auth, rate limits, SSE chat, SQLite checkpoints).
B = `langgraph dev` (langgraph-api's in-memory runtime) serving the same graph, built by the
same composition root (langgraph.json -> benchmarks/langgraph_app.py). langgraph-api pins
versions ours conflict with, so B runs from its own venv, var/bench-venv (`make
bench-serving-env`); without it this benchmark prints why and skips.

One closed-loop load client drives both at 1, 10 and 50 concurrent sessions. Each session is
its own user (A: its own account, signed in before the clock starts; B: its own user id in
the run context) and starts a fresh thread every `--turns-per-thread` turns of a short
script. Cells run A B A B (`--rounds`) per level, so the drift of a shared machine hits both
servers alike. A turn is timed from the request to the end of its stream; turns/s counts the
turns of all sessions over the window. Prints turns/s, p50/p95/p99, errors and server CPU per
cell, then the ratios (A over B), and ends with one JSON line.

Usage: python benchmarks/bench_serving.py [--levels 1,10,50] [--seconds 20] [--rounds 2]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench_api import pct, server_cpu_seconds  # noqa: E402  (this folder: sys.path[0])
from serving_clients import OurApi, ReferenceServer, Target  # noqa: E402

from tests.integration.servers import free_port, running  # noqa: E402

SCRIPT = (
    "I want a car loan of $20,000 over 4 years",
    "What documents do I need to apply?",
    "What would the monthly payment be?",
)
START_TIMEOUT_S = 240.0  # a loaded 2-core machine takes a minute to load the graph
REFERENCE_VENV = ROOT / "var" / "bench-venv"
OPEN_LIMITS = {  # the load is the point: neither server throttles it
    "LOAN_ADVISOR_RATE_LIMIT_USER_PER_MINUTE": "1000000",
    "LOAN_ADVISOR_CHAT_TURNS_PER_MINUTE": "1000000",
    "LOAN_ADVISOR_RATE_LIMIT_IP_PER_MINUTE": "1000000",
    "LOAN_ADVISOR_LOG_LEVEL": "WARNING",
}


@dataclass
class Cell:
    """One server at one concurrency level, pooled over its rounds."""

    server: str
    sessions: int
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    cpu_seconds: float = 0.0

    def row(self) -> dict[str, Any]:
        seconds = self.seconds or 1.0
        return {
            "server": self.server,
            "sessions": self.sessions,
            "turns": len(self.latencies),
            "turns_per_s": round(len(self.latencies) / seconds, 1),
            "p50_ms": pct(self.latencies, 0.5),
            "p95_ms": pct(self.latencies, 0.95),
            "p99_ms": pct(self.latencies, 0.99),
            "errors": len(self.errors),
            "error_kinds": sorted(set(self.errors))[:5],
            "server_cpu_percent": round(100 * self.cpu_seconds / seconds, 1),
        }


async def drive(target: Target, sessions: int, seconds: float, per_thread: int, cell: Cell) -> None:
    """Run `sessions` closed-loop sessions for `seconds`; add their figures to `cell`."""
    clients = [httpx.AsyncClient(base_url=target.base, timeout=120) for _ in range(sessions)]
    try:
        users = await asyncio.gather(*(target.sign_in(c, n) for n, c in enumerate(clients)))
        cpu0 = server_cpu_seconds([target.pid])
        start = time.perf_counter()
        stop_at = start + seconds

        async def session(http: httpx.AsyncClient, user: str) -> None:
            done = 0
            thread = ""
            while time.perf_counter() < stop_at:
                try:
                    if done % per_thread == 0:
                        thread = await target.new_thread(http)
                    t0 = time.perf_counter()
                    error = await target.turn(http, user, thread, SCRIPT[done % len(SCRIPT)])
                    cell.latencies.append((time.perf_counter() - t0) * 1000)
                except httpx.HTTPError as exc:
                    error = type(exc).__name__
                if error:
                    cell.errors.append(error)
                done += 1

        await asyncio.gather(*(session(c, u) for c, u in zip(clients, users, strict=True)))
        cell.seconds += time.perf_counter() - start
        cell.cpu_seconds += server_cpu_seconds([target.pid]) - cpu0
    finally:
        await asyncio.gather(*(c.aclose() for c in clients))


async def warm_up(target: Target) -> None:
    """One turn first: it loads the advisor's NLU and the encoder; not what we measure."""
    async with httpx.AsyncClient(base_url=target.base, timeout=180) as http:
        user = await target.sign_in(http, -1)
        error = await target.turn(http, user, await target.new_thread(http), SCRIPT[0])
        if error:
            raise RuntimeError(f"{target.name}: warm-up turn failed ({error})")


def var_dir(stack: ExitStack) -> Path:
    """A fresh var dir for one server, sharing the trained model (read-only) if there is one."""
    var = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-serving-")))
    models = ROOT / "var" / "models"
    if (models / "CHAMPION").exists():
        (var / "models").symlink_to(models)
    return var


@contextmanager
def our_api(stack: ExitStack) -> Iterator[Target]:
    """Start our API (one worker) on a free loopback port."""
    var, port = var_dir(stack), free_port()
    env = {**OPEN_LIMITS, "LOAN_ADVISOR_VAR_DIR": str(var), "LOAN_ADVISOR_PORT": str(port)}
    cmd = [sys.executable, "-m", "cli.main", "serve"]
    with running(cmd, f"http://127.0.0.1:{port}/healthz", env=env, log=var / "server.log",
                 timeout=START_TIMEOUT_S) as p:  # fmt: skip
        yield OurApi(f"http://127.0.0.1:{port}", p.pid)


@contextmanager
def reference_server(stack: ExitStack, venv: Path, jobs: int) -> Iterator[Target]:
    """Start `langgraph dev` from its own venv, in-memory runtime, on a free loopback port.

    `--allow-blocking` turns off its blocking-call detector (a development aid that costs time
    per call); `--n-jobs-per-worker` lets it run as many runs at once as there are sessions.
    """
    var, port = var_dir(stack), free_port()
    env = {
        **OPEN_LIMITS,
        "LOAN_ADVISOR_VAR_DIR": str(var),
        "PYTHONPATH": str(ROOT),
        "LANGGRAPH_CLI_NO_ANALYTICS": "1",
        "LANGSMITH_TRACING": "false",
        "LANGCHAIN_TRACING_V2": "false",
    }
    cmd = [str(venv / "bin" / "langgraph"), "dev", "--host", "127.0.0.1", "--port", str(port),
           "--no-browser", "--no-reload", "--allow-blocking", "--n-jobs-per-worker", str(jobs),
           "--config", str(ROOT / "langgraph.json")]  # fmt: skip
    with running(cmd, f"http://127.0.0.1:{port}/ok", env=env, log=var / "server.log",
                 timeout=START_TIMEOUT_S) as p:  # fmt: skip
        yield ReferenceServer(f"http://127.0.0.1:{port}", p.pid)


def reference_version(venv: Path) -> str:
    """Return the reference server's langgraph-api version."""
    code = "import importlib.metadata as m; print(m.version('langgraph-api'))"
    out = subprocess.run([str(venv / "bin" / "python"), "-c", code], capture_output=True, text=True)
    return out.stdout.strip() or "unknown"


def ratios(cells: list[Cell]) -> dict[str, dict[str, float]]:
    """Per level: our throughput over the reference's, and the reference's p95 over ours."""
    rows = {(c.server, c.sessions): c.row() for c in cells}
    out = {}
    for level in sorted({c.sessions for c in cells}):
        a, b = rows[("ours", level)], rows[("langgraph", level)]
        out[str(level)] = {
            "throughput": round(a["turns_per_s"] / max(b["turns_per_s"], 1e-9), 2),
            "p95": round(b["p95_ms"] / max(a["p95_ms"], 1e-9), 2),
        }
    return out


async def measure(targets: list[Target], args: argparse.Namespace) -> list[Cell]:
    """Run every level, A B A B, and return the pooled cells."""
    for target in targets:
        await warm_up(target)
    cells: list[Cell] = []
    for level in args.levels:
        pooled = {t.name: Cell(t.name, level) for t in targets}
        for _ in range(args.rounds):
            for target in targets:
                await drive(target, level, args.seconds, args.turns_per_thread, pooled[target.name])
        cells.extend(pooled.values())
    return cells


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--levels", type=lambda s: [int(x) for x in s.split(",")],
                        default=[1, 10, 50], help="sessions, comma-separated")  # fmt: skip
    parser.add_argument("--seconds", type=float, default=20, help="per cell and round")
    parser.add_argument("--rounds", type=int, default=2, help="A B repeats per level")
    parser.add_argument("--turns-per-thread", type=int, default=len(SCRIPT))
    parser.add_argument("--reference-venv", type=Path, default=REFERENCE_VENV)
    args = parser.parse_args()
    venv = args.reference_venv
    if not (venv / "bin" / "langgraph").exists():
        why = f"no reference server venv at {venv} (make bench-serving-env builds it)"
        print(f"skipped: {why}")
        print(json.dumps({"bench": "serving", "skipped": why}))
        return
    with ExitStack() as stack:
        targets = [
            stack.enter_context(our_api(stack)),
            stack.enter_context(reference_server(stack, venv, max(args.levels))),
        ]
        cells = asyncio.run(measure(targets, args))
    rows = [c.row() for c in cells]
    print(f"{'server':<10}{'sessions':>9}{'turns':>7}{'turns/s':>9}{'p50 ms':>9}{'p95 ms':>9}"
          f"{'p99 ms':>9}{'errors':>8}{'cpu %':>7}")  # fmt: skip
    for r in rows:
        print(f"{r['server']:<10}{r['sessions']:>9}{r['turns']:>7}{r['turns_per_s']:>9}"
              f"{r['p50_ms']:>9}{r['p95_ms']:>9}{r['p99_ms']:>9}{r['errors']:>8}"
              f"{r['server_cpu_percent']:>7}")  # fmt: skip
    ratio = ratios(cells)
    for level, r in ratio.items():
        print(f"{level:>3} sessions: ours/langgraph throughput x{r['throughput']}, "
              f"langgraph/ours p95 x{r['p95']}")  # fmt: skip
    print(
        json.dumps(
            {
                "bench": "serving",
                "reference": f"langgraph-api {reference_version(venv)} (langgraph dev, inmem)",
                "seconds_per_cell": args.seconds,
                "rounds": args.rounds,
                "turns_per_thread": args.turns_per_thread,
                "cells": rows,
                "ratios": ratio,
            }
        )
    )


if __name__ == "__main__":
    main()
