"""Assemble the advisor from settings: the one place the edges (API, CLI) get a graph from."""

from __future__ import annotations

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph.state import CompiledStateGraph

from agent.graph import build_graph
from agent.providers import make_chat_model
from agent.state import AgentState
from core.config import Settings
from lending.quote import POLICY_PATH
from prompts.loader import load_prompt
from tools.offers import make_offer


def build_advisor(
    settings: Settings, checkpointer: BaseCheckpointSaver[str] | None
) -> CompiledStateGraph[AgentState, None, AgentState, AgentState]:
    """Return the advisor graph wired with the configured provider, tools and prompts."""
    tools = [make_offer]
    system_text, system_version = load_prompt("system")
    _, replies_version = load_prompt("offline_replies")
    products = "car, home, gold, education, personal and medical loans"
    versions = {
        "provider": settings.provider,
        "prompt": system_version,
        "templates": replies_version,
        "policy": POLICY_PATH.name,
    }
    return build_graph(
        model=make_chat_model(settings),
        tools=tools,
        checkpointer=checkpointer,
        system_prompt=system_text.format(products=products),
        versions=versions,
    )
