"""Typed routing decisions between graph nodes."""

from __future__ import annotations

from typing import Literal

from langchain_core.messages import AIMessage

from agent.state import AgentState


def after_model(state: AgentState) -> Literal["run_tools", "check_reply"]:
    """Run tools when the model asked for them, else check the reply it drafted."""
    last = state["messages"][-1]
    if isinstance(last, AIMessage) and last.tool_calls:
        return "run_tools"
    return "check_reply"
