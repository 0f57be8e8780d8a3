"""Translate a LangGraph run into the chat's Server-Sent Events.

Events: `token` (a piece of the reply), `tool_start`, `tool_end`, `offers` (offers made or
changed by this turn's tools), `citations` (policy passages retrieved this turn), `replace`
(the output guard swapped the draft reply), `done` (final text and versions)
and `error` (a message a person can read, never a stack trace).

`offers` and `citations` come from the graph's `record_results` node, the one place that
decides what a turn's tool results mean, so the client need not re-interpret tool output.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from typing import Any

from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage, ToolMessage

from tools.context import RunContext

log = logging.getLogger(__name__)


def _event(name: str, data: dict[str, Any]) -> dict[str, str]:
    return {"event": name, "data": json.dumps(data, default=str)}


async def stream_turn(
    graph: Any, context: RunContext, message: str
) -> AsyncIterator[dict[str, str]]:
    """Run one turn of `context`'s thread, as `context`'s user, and yield SSE events.

    The turn is checkpointed once, when it ends (`durability="exit"`), not after every node:
    a turn cut off by a crash is simply not remembered and the applicant resends it, while
    the per-node writes cost more CPU than the advisor's own reasoning and grew storage 5.7x.
    An interrupt (a referral waiting for staff) ends the run, so it is saved too.
    """
    thread_id = context.thread_id
    config = {"configurable": {"thread_id": thread_id}}  # the checkpointer's key, nothing else
    final_text = ""
    versions: dict[str, Any] = {}  # every turn reaches call_model, which stamps them
    try:
        async for mode, payload in graph.astream(
            {"messages": [HumanMessage(message)]},
            config,
            context=context,
            stream_mode=["messages", "updates"],
            durability="exit",
        ):
            if mode == "messages":
                chunk, meta = payload
                if (
                    isinstance(chunk, AIMessageChunk)
                    and meta.get("langgraph_node") == "call_model"
                    and chunk.content
                ):
                    yield _event("token", {"text": chunk.content})
                continue
            for node, update in (payload or {}).items():
                if not isinstance(update, dict):  # e.g. "__interrupt__": a tuple
                    continue
                if isinstance(update.get("versions"), dict):
                    versions = update["versions"]
                if node == "record_results":
                    for event in _record_events(update):
                        yield event
                    continue
                for msg in update.get("messages", []):
                    if node == "call_model" and isinstance(msg, AIMessage):
                        for call in msg.tool_calls:
                            yield _event("tool_start", {"name": call["name"], "args": call["args"]})
                        if not msg.tool_calls:
                            final_text = str(msg.content)
                    elif node == "run_tools" and isinstance(msg, ToolMessage):
                        yield _event(
                            "tool_end",
                            {"name": msg.name, "status": msg.status, "result": _json(msg.content)},
                        )
                    elif node == "check_reply" and isinstance(msg, AIMessage):
                        final_text = str(msg.content)
                        yield _event("replace", {"text": final_text})
        yield _event("done", {"text": final_text, "versions": versions})
    except Exception:
        log.exception("chat turn failed", extra={"thread_id": thread_id})
        yield _event("error", {"detail": "The advisor could not finish this reply; please retry."})


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
