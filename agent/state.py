"""What a conversation remembers between turns (persisted by the checkpointer)."""

from __future__ import annotations

from typing import Annotated

from langchain_core.messages import AnyMessage
from langgraph.graph.message import add_messages
from typing_extensions import TypedDict


class AgentState(TypedDict, total=False):
    """State of one advisor thread."""

    messages: Annotated[list[AnyMessage], add_messages]
    """The conversation, including tool calls and tool results (the source of every number)."""

    versions: dict[str, str]
    """Model, policy and prompt versions used by the latest turn, for replay and audit."""

    guardrail_notes: list[str]
    """Why the output guard replaced the latest draft reply, if it did (empty when it passed)."""
