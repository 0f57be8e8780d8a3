"""What a chat turn's SSE events record: metrics, steps, negotiations, the redacted question."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from typing import Any

from prometheus_client import generate_latest

from api.chat_telemetry import TurnTelemetry
from core.clock import FixedClock
from core.metrics import build_recorder
from storage.events import SqliteEventRepository
from storage.kpis import compute_kpis
from storage.sqlite import Database


def _sse(name: str, data: dict[str, Any]) -> dict[str, str]:
    return {"event": name, "data": json.dumps(data)}


TURN = [
    _sse("token", {"text": "Let me "}),
    _sse("tool_start", {"name": "negotiate_offer", "args": {"offer_id": "1", "kind": "rate"}}),
    _sse(
        "tool_end",
        {
            "name": "negotiate_offer",
            "status": "success",
            "result": {
                "application_id": "app_1",
                "met": True,
                "offer": {"annual_rate_pct": "8.75"},
            },
        },
    ),  # fmt: skip
    _sse("tool_end", {"name": "accept_offer", "status": "success", "result": {"status": "ok"}}),
    _sse("replace", {"text": "checked reply"}),
    _sse(
        "done", {"text": "checked reply", "versions": {"provider": "bedrock -> offline fallback"}}
    ),
]


async def _drain(telemetry: TurnTelemetry) -> list[dict[str, str]]:
    async def source():  # noqa: ANN202
        for e in TURN:
            yield e

    return [e async for e in telemetry.wrap(source())]


def test_turn_records_metrics_and_analytics_events(tmp_path) -> None:
    repo = SqliteEventRepository(Database(tmp_path / "e.sqlite"),
                                 FixedClock(datetime(2026, 11, 2, tzinfo=UTC)))  # fmt: skip
    repo.record("submitted", "thr_1", {"offers": [{"offer_id": "1", "annual_rate_pct": "9.25"}]})
    rec = build_recorder("local")
    telemetry = TurnTelemetry(rec, repo, "thr_1", "I'm Ana Ruiz; can you do 9% on $12,500?")
    passed = asyncio.run(_drain(telemetry))
    assert passed == TURN  # observed, never changed
    assert rec.prometheus is not None
    text = generate_latest(rec.prometheus.registry).decode()
    assert 'chat_turns_total{result="done"} 1.0' in text
    assert 'chat_time_to_first_token_seconds_count{provider="bedrock"} 1.0' in text
    assert 'llm_fallbacks_total{provider="bedrock"} 1.0' in text
    assert 'guard_rejections_total{guard="reply"} 1.0' in text
    assert 'funnel_steps_total{channel="chat",step="offer_accepted"} 1.0' in text
    question = repo.recent("question")[0].payload["text"]
    assert question == "I'm [NAME]; can you do 9% on [AMOUNT]?"
    kinds = sorted(e.kind for e in repo.recent(None))
    assert kinds == ["negotiated", "question", "step", "step", "submitted"]
    # the concession is read against the offer the thread had before: 9.25 - 8.75
    assert compute_kpis([], repo.recent(None)).mean_concession_pct == 0.5


def test_a_broken_event_never_breaks_the_stream(tmp_path) -> None:
    repo = SqliteEventRepository(Database(tmp_path / "e.sqlite"),
                                 FixedClock(datetime(2026, 11, 2, tzinfo=UTC)))  # fmt: skip
    telemetry = TurnTelemetry(build_recorder("local"), repo, "thr_2", "hello")

    async def source():  # noqa: ANN202
        yield {"event": "tool_end", "data": "not json"}
        yield _sse("done", {"text": "", "versions": {}})

    async def drain() -> list[dict[str, str]]:
        return [e async for e in telemetry.wrap(source())]

    assert len(asyncio.run(drain())) == 2


def test_the_turn_does_not_count_model_calls_twice(tmp_path) -> None:
    """The model's metrics handler owns call, token and cost counts; `done` only reports them."""
    repo = SqliteEventRepository(Database(tmp_path / "e.sqlite"),
                                 FixedClock(datetime(2026, 11, 2, tzinfo=UTC)))  # fmt: skip
    rec = build_recorder("local")
    telemetry = TurnTelemetry(rec, repo, "thr_3", "hello")
    usage = {"llm_calls": 2, "input_tokens": 3000, "output_tokens": 500}

    async def source():  # noqa: ANN202
        yield _sse("done", {"text": "hi", "versions": {"provider": "bedrock:m"}, "usage": usage})

    async def drain() -> list[dict[str, str]]:
        return [e async for e in telemetry.wrap(source())]

    events = asyncio.run(drain())
    assert json.loads(events[-1]["data"])["usage"] == usage
    assert rec.prometheus is not None
    text = generate_latest(rec.prometheus.registry).decode()
    assert 'llm_calls_total{provider="bedrock:m"}' not in text
