"""Translate a LangGraph run into the chat's Server-Sent Events.

Events: `token` (a piece of the reply), `tool_start` (a tool's name and the arguments its
schema accepted, `api.tool_args`), `tool_end`, `offers` (offers made or changed by this
turn's tools), `citations` (policy passages retrieved this turn), `replace` (the reply is
now this text: the output guard corrected, replaced or completed the draft, or a model call
whose text was partly shown was abandoned and the next one's text replaces it),
`done` (final text, versions and the turn's model token use) and `error` (a message a
person can read, never a stack trace). No `token`, `replace` or `done` text carries a figure
the output guard would reject (`api.stream_guard`).

`offers` and `citations` come from the graph's `record_results` node, the one place that
decides what a turn's tool results mean, so the client need not re-interpret tool output.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from api.stream_guard import StreamGuard, text_of
from api.tool_args import ToolArgs
from lending.policy import Policy, load_policy
from tools.context import RunContext

log = logging.getLogger(__name__)


def _event(name: str, data: dict[str, Any]) -> dict[str, str]:
    return {"event": name, "data": json.dumps(data, default=str)}


async def stream_turn(
    graph: Any, context: RunContext, message: str, policy: Policy | None = None
) -> AsyncIterator[dict[str, str]]:
    """Run one turn of `context`'s thread, as `context`'s user, and yield SSE events.

    The reply's tokens pass through a `StreamGuard` (checked against `policy`, by default
    the served one): a clause is sent only once its figures are grounded and inside policy,
    and every `replace` and the `done` text pass the same check.

    The turn is checkpointed once, when it ends (`durability="exit"`), not after every node:
    a turn cut off by a crash is simply not remembered and the applicant resends it, while
    the per-node writes cost more CPU than the advisor's own reasoning and grew storage 5.7x.
    An interrupt (a referral waiting for staff) ends the run, so it is saved too.
    """
    thread_id = context.thread_id
    config = {"configurable": {"thread_id": thread_id}}  # the checkpointer's key, nothing else
    turn = _Turn(StreamGuard(policy or load_policy()), ToolArgs.of_graph(graph))
    try:
        async for mode, payload in graph.astream(
            {"messages": [HumanMessage(message)]},
            config,
            context=context,
            stream_mode=["messages", "updates", "values"],
            durability="exit",
        ):
            for event in turn.events(mode, payload):
                yield event
        done = {"text": turn.guard.safe(turn.final_text), "versions": turn.versions}
        yield _event("done", {**done, "usage": turn.usage})
    except Exception:
        log.exception("chat turn failed", extra={"thread_id": thread_id})
        yield _event("error", {"detail": "The advisor could not finish this reply; please retry."})


class _Turn:
    """What one turn has streamed so far, and the events each item of the run adds."""

    def __init__(self, guard: StreamGuard, tool_args: ToolArgs) -> None:
        self.guard = guard
        self.tool_args = tool_args
        self.screen = _Screen()
        self.final_text = ""
        self.versions: dict[str, Any] = {}  # every turn reaches call_model, which stamps them
        self.usage = {"llm_calls": 0, "input_tokens": 0, "output_tokens": 0}

    def events(self, mode: str, payload: Any) -> list[dict[str, str]]:
        """Return the SSE events for one item of `graph.astream`."""
        if mode == "values":
            if isinstance(payload, dict):
                self.guard.ground(payload)
            return []
        if mode == "messages":
            chunk, meta = payload
            if isinstance(chunk, AIMessage) and meta.get("langgraph_node") == "call_model":
                text = self.guard.feed(chunk.id, text_of(chunk.content))
                return self.screen.send(chunk.id, text)
            return []
        out: list[dict[str, str]] = []
        for node, update in (payload or {}).items():
            if not isinstance(update, dict):  # e.g. "__interrupt__": a tuple
                continue
            if isinstance(update.get("versions"), dict):
                self.versions = update["versions"]
            if node == "record_results":
                out.extend(_record_events(update))
                continue
            for msg in update.get("messages", []):
                out.extend(self._message_events(node, msg))
        return out

    def _message_events(self, node: str, msg: Any) -> list[dict[str, str]]:
        out: list[dict[str, str]] = []
        if node == "run_tools" and isinstance(msg, ToolMessage):
            result = {"name": msg.name, "status": msg.status, "result": _json(msg.content)}
            return [_event("tool_end", result)]
        if not isinstance(msg, AIMessage) or node not in ("call_model", "check_reply"):
            return out
        self._count(msg)
        text = text_of(msg.content)
        if node == "call_model":
            out.extend(self.screen.send(msg.id, self.guard.finish(text)))
            self.screen.close(held=self.guard.held_last)
        else:  # the output guard corrected, replaced or completed the draft
            text = self.guard.safe(text)
            out.append(self.screen.replace(text))
        for call in msg.tool_calls:
            args = self.tool_args.accepted(call["name"], call["args"])  # never raw model text
            out.append(_event("tool_start", {"name": call["name"], "args": args}))
        if not msg.tool_calls:
            self.final_text = text
        return out

    def _count(self, msg: AIMessage) -> None:
        """Add a model reply's token use to the turn's (providers report it; offline does not)."""
        used = msg.usage_metadata
        if used:
            self.usage["llm_calls"] += 1
            self.usage["input_tokens"] += int(used.get("input_tokens", 0))
            self.usage["output_tokens"] += int(used.get("output_tokens", 0))


class _Screen:
    """The reply text the client shows, so that an abandoned attempt is replaced, not extended.

    Each model call's text is an attempt. An attempt is abandoned when the stream guard held
    part of it back (a failed clause), or when another call took over before it finished (a
    retry, or the offline fallback after a provider error). Text that follows an abandoned
    attempt goes out as one `replace` carrying the whole reply (what was shown before that
    attempt, plus the new text), never as tokens after the abandoned attempt's clauses.
    """

    def __init__(self) -> None:
        self.text = ""
        self._before = ""  # the screen when the open attempt started
        self._attempt: str | None = None  # the open attempt's message id
        self._open = False
        self._stale = False  # the screen ends with an abandoned attempt's text

    def _shown_open(self) -> bool:
        return self._open and len(self.text) > len(self._before)

    def send(self, attempt: str | None, text: str) -> list[dict[str, str]]:
        """Return the events that show `text`, released from the model call `attempt`."""
        if not self._open or attempt != self._attempt:
            self._stale = self._stale or self._shown_open()  # the open one was taken over
            if not self._stale:
                self._before = self.text
            self._attempt, self._open = attempt, True
        if not text:
            return []
        if self._stale:
            self._stale = False
            self.text = self._before + text
            return [_event("replace", {"text": self.text})]
        self.text += text
        return [_event("token", {"text": text})]

    def close(self, *, held: bool) -> None:
        """End the open attempt; `held` says the guard held part of it back."""
        self._stale = self._stale or (held and self._shown_open())
        self._open = False

    def replace(self, text: str) -> dict[str, str]:
        """Return the `replace` event for a whole reply the graph wrote (the output guard's)."""
        self.text = self._before = text
        self._open, self._stale = False, False
        return _event("replace", {"text": text})


def _record_events(update: dict[str, Any]) -> list[dict[str, str]]:
    """Return the `offers` and `citations` events for a `record_results` update (if any)."""
    events = []
    if update.get("offers"):
        events.append(_event("offers", {"offers": list(update["offers"])}))
    if update.get("citations"):
        events.append(_event("citations", {"passages": list(update["citations"])}))
    return events


def _json(content: Any) -> Any:
    try:
        return json.loads(str(content))
    except json.JSONDecodeError:
        return str(content)
