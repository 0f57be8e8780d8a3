"""A conversation's message log as the client shows it on reload, cards included.

The thread's checkpointed messages already hold every tool result of every turn; a reply's offer
cards, citations and tool chips are read back from the tool messages before it with the same
fold the live stream uses (`agent.records.fold_results`), so a reloaded reply shows what it
showed when it streamed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from agent.records import fold_results
from api.schemas.chat import MessagePublic, ToolChipPublic


def _chips(tools: list[ToolMessage]) -> list[ToolChipPublic]:
    return [
        ToolChipPublic(name=str(t.name), status="error" if _failed(t) else "success") for t in tools
    ]


def _failed(message: ToolMessage) -> bool:
    return message.status == "error" or str(message.content).startswith('{"error"')


def public_messages(messages: Iterable[Any]) -> list[MessagePublic]:
    """Return the visible messages; each reply carries the cards of the tools run before it."""
    out: list[MessagePublic] = []
    tools: list[ToolMessage] = []
    for msg in messages:
        if isinstance(msg, HumanMessage):
            tools = []
            out.append(MessagePublic(role="user", content=str(msg.content), message_id=msg.id))
        elif isinstance(msg, ToolMessage):
            tools.append(msg)
            out.append(
                MessagePublic(
                    role="tool", content=str(msg.content), tool_name=msg.name, message_id=msg.id
                )
            )
        elif isinstance(msg, AIMessage) and msg.content:
            turn = fold_results(None, tools)
            out.append(
                MessagePublic(
                    role="assistant",
                    content=str(msg.content),
                    message_id=msg.id,
                    tools=_chips(tools),
                    offers=turn.offers,
                    citations=turn.citations,
                )
            )
            tools = []
    return out
