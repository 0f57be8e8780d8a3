"""Fold tool results into the thread's state: the application, offers and citations.

Tools return data; this is the one place that decides what of it the thread
remembers, so every provider (offline or LLM) ends a turn with the same state.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from langchain_core.messages import AnyMessage, ToolMessage


@dataclass
class TurnResults:
    """What this turn's tool results changed."""

    application: dict[str, Any] | None
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


def fold_results(application: dict[str, Any] | None, results: list[ToolMessage]) -> TurnResults:
    """Apply tool results in order to the application; collect offers and citations."""
    turn = TurnResults(application=dict(application) if application else None)
    for message in results:
        data = _data(message)
        if data is None:
            continue
        name = message.name
        if name in ("submit_application", "make_offers"):
            turn.application = data
            turn.offers = list(data.get("offers", []))
            turn.changed = True
        elif name == "negotiate_offer" and turn.application is not None:
            made = [data[k] for k in ("offer", "alternative") if data.get(k)]
            turn.application["offers"] = [*turn.application.get("offers", []), *made]
            turn.offers = made
            turn.changed = bool(made)
        elif name == "accept_offer" and turn.application is not None:
            turn.application["status"] = data["status"]
            turn.application["accepted_offer_id"] = data["offer_id"]
            turn.offers = [data["offer"]]
            turn.changed = True
        elif name == "search_policy":
            turn.citations = [
                {k: p[k] for k in ("ref", "doc_id", "version", "title", "section", "url")}
                for p in data.get("passages", [])
            ]
    return turn
