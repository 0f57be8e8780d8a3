"""What a chat turn tells operations, read off its SSE events as they pass to the client.

Per turn: latency and time to first token, fallbacks to the offline model, replies the output
guard replaced, model calls, tokens and their estimated cost, applications submitted,
negotiations and funnel steps, and the applicant's question (redacted of names, amounts and
identifiers) for query analytics. The events are observed, never changed, and a failure here
never breaks the stream.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

from core.metrics import Recorder
from core.redaction import redact_for_analytics
from storage.event_batching import BatchedEventLog
from storage.events import EventRepository
from storage.funnel import STEP_EVENT
from storage.kpis import NEGOTIATED_EVENT

log = logging.getLogger(__name__)
QUESTION_EVENT = "question"
_STEP_FOR_TOOL = {"submit_application": "application_submitted", "accept_offer": "offer_accepted"}
_DATA_UNREAD = frozenset({"token", "replace", "offers", "citations"})
"""Events whose name says all `observe` needs: their data is not decoded again."""


class TurnTelemetry:
    """Observe one chat turn's events and record metrics and analytics events."""

    def __init__(
        self,
        recorder: Recorder,
        events: EventRepository,
        thread_id: str,
        message: str,
    ) -> None:
        """Start observing a turn.

        Model calls, tokens and cost are counted by the model's own metrics handler
        (`api.instrumentation`); the `done` event only reports them.
        """
        self._rec, self._events, self._thread = recorder, events, thread_id
        self._start = time.perf_counter()
        self._first_token: float | None = None
        self._replaced = False
        self._negotiating: dict[str, Any] = {}
        self._pending: list[tuple[str, dict[str, Any]]] = []
        self._step("conversation")
        self._pending.append((QUESTION_EVENT, {"text": redact_for_analytics(message)}))

    async def wrap(self, events: AsyncIterator[dict[str, str]]) -> AsyncIterator[dict[str, str]]:
        """Yield `events` unchanged while observing them."""
        async for event in events:
            try:
                name = event.get("event", "")
                data = {} if name in _DATA_UNREAD else json.loads(event.get("data") or "{}")
                self.observe(name, data)
                if self._pending:
                    await self.aflush()
            except Exception:  # telemetry must never break a reply
                log.exception("chat telemetry failed", extra={"thread_id": self._thread})
            yield event

    async def aflush(self) -> None:
        """Hand the analytics events observed so far to the event log.

        The API's log queues them for its one writer (`storage.event_batching`), so this
        costs no thread hop and no commit of its own; any other log is written in the pool.
        """
        pending, self._pending = self._pending, []
        if isinstance(self._events, BatchedEventLog):
            for kind, payload in pending:
                self._events.record(kind, self._thread, payload)
        elif pending:
            await asyncio.to_thread(self._record_all, pending)

    def _record_all(self, pending: list[tuple[str, dict[str, Any]]]) -> None:
        for kind, payload in pending:
            self._events.record(kind, self._thread, payload)

    def observe(self, name: str, data: dict[str, Any]) -> None:
        """Record what one SSE event means for operations."""
        if name == "token" and self._first_token is None:
            self._first_token = time.perf_counter() - self._start
        elif name == "replace":
            self._replaced = True
        elif name == "tool_start" and data.get("name") == "negotiate_offer":
            self._negotiating = dict(data.get("args") or {})
        elif name == "tool_end" and data.get("status") != "error":
            self._tool_end(str(data.get("name")), data.get("result"))
        elif name in ("done", "error"):
            self._finish(name, data)

    def _tool_end(self, tool: str, result: Any) -> None:
        if not isinstance(result, dict):
            return
        if tool in _STEP_FOR_TOOL:
            self._step(_STEP_FOR_TOOL[tool])
        if tool == "submit_application":
            outcome = str((result.get("decision") or {}).get("outcome", "pending"))
            self._rec.count("applications_submitted_total", channel="chat", outcome=outcome)
        elif tool == "negotiate_offer":
            self._negotiated(result)

    def _negotiated(self, result: dict[str, Any]) -> None:
        offer = result.get("offer") or {}
        self._pending.append(
            (
                NEGOTIATED_EVENT,
                {
                    "channel": "chat",
                    "application_id": result.get("application_id"),
                    "offer_id": self._negotiating.get("offer_id"),
                    "met": bool(result.get("met")),
                    "rate_after_pct": offer.get("annual_rate_pct"),
                },
            )
        )

    def _finish(self, name: str, data: dict[str, Any]) -> None:
        provider = str((data.get("versions") or {}).get("provider", "unknown"))
        base = provider.split(" -> ")[0]
        self._rec.count("chat_turns_total", result=name)
        self._rec.observe("chat_turn_duration_seconds", time.perf_counter() - self._start,
                          provider=base)  # fmt: skip
        if self._first_token is not None:
            self._rec.observe("chat_time_to_first_token_seconds", self._first_token, provider=base)
        if "fallback" in provider:
            self._rec.count("llm_fallbacks_total", provider=base)
        if self._replaced:
            self._rec.count("guard_rejections_total", guard="reply")

    def _step(self, step: str) -> None:
        self._pending.append(
            (STEP_EVENT, {"channel": "chat", "step": step, "session": self._thread})
        )
        self._rec.count("funnel_steps_total", channel="chat", step=step)
