"""Fold tool results into the thread's state: the application snapshot, offers and citations.

Tools return data; this is the one place that decides what of it the thread remembers, so
every provider (offline or LLM) ends a turn with the same state. The application is never
assembled here: each application tool returns the service's snapshot of the stored record,
and the thread keeps the latest one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from langchain_core.messages import AnyMessage, ToolMessage

from tools.application import ThreadApplication


@dataclass
class TurnResults:
    """What this turn's tool results changed."""

    application: ThreadApplication | None
    offers: list[dict[str, Any]] = field(default_factory=list)
    citations: list[dict[str, Any]] = field(default_factory=list)
    changed: bool = False


def trailing_tool_messages(messages: list[AnyMessage]) -> list[ToolMessage]:
    """Return the tool results after the model's last tool call."""
    out: list[ToolMessage] = []
    for message in reversed(messages):
        if not isinstance(message, ToolMessage):
            break
        out.append(message)
    return list(reversed(out))


def _data(message: ToolMessage) -> dict[str, Any] | None:
    try:
        data = json.loads(str(message.content))
    except json.JSONDecodeError:
        return None
    if not isinstance(data, dict) or "error" in data or message.status == "error":
        return None
    return data


def _offers_made(name: str | None, data: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the offers a tool result shows the applicant (for the client's offer cards)."""
    if name in ("submit_application", "make_offers"):
        return list(data.get("offers") or [])
    if name == "negotiate_offer":
        return [data[k] for k in ("offer", "alternative") if data.get(k)]
    if name == "accept_offer":
        return [data["offer"]]
    return []


def fold_results(application: ThreadApplication | None, results: list[ToolMessage]) -> TurnResults:
    """Apply tool results in order: keep the latest snapshot, collect offers and citations."""
    turn = TurnResults(application=application)
    for message in results:
        data = _data(message)
        if data is None:
            continue
        if isinstance(data.get("snapshot"), dict):
            turn.application = ThreadApplication.model_validate(data["snapshot"])
            turn.changed = True
        made = _offers_made(message.name, data)
        if made:
            turn.offers = made
        if message.name == "search_policy":
            turn.citations = [
                {k: p[k] for k in ("ref", "doc_id", "version", "title", "section", "url")}
                for p in data.get("passages", [])
            ]
    return turn
