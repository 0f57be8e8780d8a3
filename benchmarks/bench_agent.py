"""Benchmark the advisor graph with the offline provider.

Measures a full apply-and-offer turn (confirm -> score with the real champion model ->
decide -> price offers -> templated reply -> output guard -> SQLite checkpoint) and the
indicative-quote turn, p50/p95 over fresh threads; then the checkpoint storage and the
in-memory footprint per 1,000 stored threads (measured on N threads, scaled).
Ends with one JSON line.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from langchain_core.messages import HumanMessage  # noqa: E402
from langchain_core.runnables import RunnableConfig  # noqa: E402
from langgraph.checkpoint.memory import InMemorySaver  # noqa: E402

from agent.state import AgentState  # noqa: E402
from api.composition import build_runtime, open_checkpointer  # noqa: E402
from core.config import Settings, get_settings  # noqa: E402
from tests.fakes.conversations import GOOD_APPLICANT  # noqa: E402
from tools.context import RunContext  # noqa: E402
from tools.risk import ModelRiskScorer  # noqa: E402

THREADS = 100
SETUP = GOOD_APPLICANT


class NoKnowledge:
    def search(
        self,
        query: str,
        *,
        history: list[str] | None = None,
        product: str | None = None,
        k: int = 5,
    ) -> list[Any]:
        return []


def _ctx(config: RunnableConfig | str) -> RunContext:
    """Return the run context for a bench thread (one synthetic applicant)."""
    thread = config if isinstance(config, str) else config["configurable"]["thread_id"]
    return RunContext(user_id="usr_bench0001", thread_id=thread)


def say(text: str) -> AgentState:
    return AgentState(messages=[HumanMessage(text)])


def champion(var_dir: Path) -> Any:
    from cli.scoring import ensure_champion
    from scoring.registry import champion_id, load_champion

    if champion_id(var_dir) is None:
        ensure_champion(var_dir, rows=4000)
    return load_champion(var_dir)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    settings = get_settings()
    model_dir = (
        settings.var_dir if (settings.var_dir / "models").exists() else Path(tempfile.mkdtemp())
    )
    scorer = ModelRiskScorer(champion(model_dir))
    work = Path(tempfile.mkdtemp())
    run_settings = Settings(var_dir=work)
    quote_ms: list[float] = []
    apply_ms: list[float] = []
    with open_checkpointer(run_settings) as saver:
        graph = build_runtime(run_settings, saver, scorer=scorer, knowledge=NoKnowledge()).graph
        # warm-up: classifier training, templates, first model call
        warm = RunnableConfig(configurable={"thread_id": "warm"})
        for text in [*SETUP, "yes"]:
            graph.invoke(say(text), warm, context=_ctx(warm))
        for i in range(THREADS):
            config = RunnableConfig(configurable={"thread_id": f"bench-{i}"})
            for j, text in enumerate(SETUP):
                start = time.perf_counter()
                graph.invoke(say(text), config, context=_ctx(config))
                if j == 0:
                    quote_ms.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            out = graph.invoke(say("yes"), config, context=_ctx(config))
            apply_ms.append((time.perf_counter() - start) * 1000)
            app = out["application"]  # a typed ThreadApplication snapshot
            outcome = getattr(app.outcome, "value", app.outcome) if app is not None else None
            assert outcome in ("approved", "conditionally_approved"), out["messages"][-1].content
    db_bytes = sum(p.stat().st_size for p in work.glob("checkpoints.sqlite*"))
    sqlite_mb_per_1000 = db_bytes / (THREADS + 1) * 1000 / 1e6

    # In-memory footprint: the same conversations held by an InMemorySaver.
    mem_threads = 50
    # The same conversations persisted only at the end of each turn (durability="exit").
    exit_threads = 20
    exit_settings = Settings(var_dir=Path(tempfile.mkdtemp()))
    exit_ms: list[float] = []
    with open_checkpointer(exit_settings) as saver:
        graph = build_runtime(exit_settings, saver, scorer=scorer, knowledge=NoKnowledge()).graph
        for i in range(exit_threads):
            config = RunnableConfig(configurable={"thread_id": f"exit-{i}"})
            for text in SETUP:
                graph.invoke(say(text), config, context=_ctx(config), durability="exit")
            start = time.perf_counter()
            graph.invoke(say("yes"), config, context=_ctx(config), durability="exit")
            exit_ms.append((time.perf_counter() - start) * 1000)
    exit_bytes = sum(p.stat().st_size for p in exit_settings.var_dir.glob("checkpoints.sqlite*"))
    exit_mb_per_1000 = exit_bytes / exit_threads * 1000 / 1e6

    # Latency without disk: the graph and domain work alone.
    memory_apply_ms: list[float] = []
    graph = build_runtime(
        run_settings, InMemorySaver(), scorer=scorer, knowledge=NoKnowledge()
    ).graph
    for i in range(THREADS):
        config = RunnableConfig(configurable={"thread_id": f"l-{i}"})
        for text in SETUP:
            graph.invoke(say(text), config, context=_ctx(config))
        start = time.perf_counter()
        graph.invoke(say("yes"), config, context=_ctx(config))
        memory_apply_ms.append((time.perf_counter() - start) * 1000)
    graph = build_runtime(
        run_settings, InMemorySaver(), scorer=scorer, knowledge=NoKnowledge()
    ).graph
    graph.invoke(say("hi"), RunnableConfig(configurable={"thread_id": "w"}), context=_ctx("w"))
    tracemalloc.start()
    base = tracemalloc.take_snapshot()
    for i in range(mem_threads):
        config = RunnableConfig(configurable={"thread_id": f"m-{i}"})
        for text in [*SETUP, "yes"]:
            graph.invoke(say(text), config, context=_ctx(config))
    grown = sum(s.size_diff for s in tracemalloc.take_snapshot().compare_to(base, "filename"))
    tracemalloc.stop()
    memory_mb_per_1000 = grown / mem_threads * 1000 / 1e6

    figures = {
        "bench": "agent",
        "provider": "offline",
        "threads": THREADS,
        "apply_turn_p50_ms": round(statistics.median(apply_ms), 2),
        "apply_turn_p95_ms": round(pct(apply_ms, 0.95), 2),
        "quote_turn_p50_ms": round(statistics.median(quote_ms), 2),
        "quote_turn_p95_ms": round(pct(quote_ms, 0.95), 2),
        "apply_turn_in_memory_saver_p50_ms": round(statistics.median(memory_apply_ms), 2),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "sqlite_checkpoints_mb_per_1000_threads": round(sqlite_mb_per_1000, 1),
        "sqlite_exit_durability_mb_per_1000_threads": round(exit_mb_per_1000, 1),
        "apply_turn_exit_durability_p50_ms": round(statistics.median(exit_ms), 2),
        "in_memory_mb_per_1000_threads": round(memory_mb_per_1000, 1),
        "turns_per_thread": len(SETUP) + 1,
        "target_apply_p50_ms": 50,
    }
    print(
        f"apply-and-offer turn: p50 {figures['apply_turn_p50_ms']} ms, "
        f"p95 {figures['apply_turn_p95_ms']} ms over {THREADS} threads"
    )
    print(
        f"apply turn with the in-memory saver: p50 "
        f"{figures['apply_turn_in_memory_saver_p50_ms']} ms; load average "
        f"{figures['load_average_1m']} on this machine"
    )
    print(
        f"quote turn: p50 {figures['quote_turn_p50_ms']} ms, p95 {figures['quote_turn_p95_ms']} ms"
    )
    print(
        f"SQLite checkpoints: {figures['sqlite_checkpoints_mb_per_1000_threads']} MB per 1,000 "
        f"threads of {len(SETUP) + 1} turns (all checkpoints kept)"
    )
    print(
        f"SQLite, durability='exit' (one checkpoint per turn): "
        f"{figures['sqlite_exit_durability_mb_per_1000_threads']} MB per 1,000 threads, "
        f"apply turn p50 {figures['apply_turn_exit_durability_p50_ms']} ms"
    )
    print(f"in-memory saver: {figures['in_memory_mb_per_1000_threads']} MB per 1,000 threads")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
