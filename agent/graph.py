"""Wire the advisor graph. Wiring only: dependencies come in, nothing is created here."""

from __future__ import annotations

from collections.abc import Sequence

from langchain_core.language_models import BaseChatModel
from langchain_core.tools import BaseTool
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.prebuilt import ToolNode

from agent.nodes import make_call_model, make_check_reply
from agent.offline.model import OfflineAdvisorModel
from agent.routing import after_model
from agent.state import AgentState
from agent.tool_errors import tool_error_payload


def build_graph(
    *,
    model: BaseChatModel,
    tools: Sequence[BaseTool],
    checkpointer: BaseCheckpointSaver[str] | None,
    system_prompt: str,
    versions: dict[str, str],
    fallback: BaseChatModel | None = None,
) -> CompiledStateGraph[AgentState, None, AgentState, AgentState]:
    """Return the compiled advisor graph: model -> tools -> model ... -> reply check."""
    graph = StateGraph(AgentState)
    graph.add_node("call_model", make_call_model(model, tools, system_prompt, versions))
    graph.add_node("run_tools", ToolNode(list(tools), handle_tool_errors=tool_error_payload))
    graph.add_node("check_reply", make_check_reply(fallback or _offline_fallback(tools)))
    graph.add_edge(START, "call_model")
    graph.add_conditional_edges("call_model", after_model)
    graph.add_edge("run_tools", "call_model")
    graph.add_edge("check_reply", END)
    return graph.compile(checkpointer=checkpointer)


def _offline_fallback(tools: Sequence[BaseTool]) -> BaseChatModel:
    return OfflineAdvisorModel(tool_names=[t.name for t in tools])
