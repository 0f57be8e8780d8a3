"""Typed routing decisions between graph nodes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from langchain_core.messages import AIMessage

from agent.context import GraphSettings
from agent.memory import needs_summary
from agent.state import AgentState


def after_input(
    settings: GraphSettings,
) -> Callable[[AgentState], Literal["summarise", "call_model"]]:
    """Build the router after the input guard: summarise long threads, then call the model."""

    def route(state: AgentState) -> Literal["summarise", "call_model"]:
        if not state.get("input_blocked") and needs_summary(state, settings):
            return "summarise"
        return "call_model"

    return route


def after_model(state: AgentState) -> Literal["run_tools", "check_reply"]:
    """Run tools when the model asked for them, else check the reply it drafted."""
    last = state["messages"][-1]
    if isinstance(last, AIMessage) and last.tool_calls:
        return "run_tools"
    return "check_reply"


def after_check(
    settings: GraphSettings,
) -> Callable[[AgentState], Literal["run_tools", "human_review", "__end__"]]:
    """Build the router after the output guard.

    It runs a replacement's tool call, pauses a referral for human review, or ends the turn.
    """

    def route(state: AgentState) -> Literal["run_tools", "human_review", "__end__"]:
        last = state["messages"][-1]
        if isinstance(last, AIMessage) and last.tool_calls:
            return "run_tools"
        application = state.get("application")
        if (
            settings.human_review
            and application is not None
            and application.status == "under_review"
            and not state.get("review")
        ):
            return "human_review"
        return "__end__"

    return route
