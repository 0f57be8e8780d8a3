"""Wire the advisor graph. Wiring only: dependencies come in, nothing is created here."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.tools import BaseTool
from langgraph._internal._runnable import RunnableCallable  # func + afunc in one node
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.prebuilt import ToolNode

from agent.context import GraphSettings
from agent.guardrails import TurnRateLimiter
from agent.memory import make_summarise
from agent.nodes import (
    make_call_model,
    make_guard_input,
    make_human_review,
    make_record_results,
)
from agent.offline.model import OfflineAdvisorModel
from agent.providers import resilient
from agent.reply_check import CheckReply
from agent.routing import after_check, after_input, after_model
from agent.state import AgentState
from agent.tool_errors import tool_error_payload
from core.clock import Clock
from tools.context import RunContext

Graph = CompiledStateGraph[AgentState, RunContext, AgentState, AgentState]


def inline(func: Callable[..., Any], name: str) -> RunnableCallable:
    """Wrap a quick, in-memory node or router so the async graph calls it on the event loop.

    LangGraph runs a plain function in a worker thread when the graph is awaited; for work
    of tens of microseconds (guards, routing, folding results) the hop costs more than the
    work. Only what neither blocks nor waits belongs here: tools and remote models do not.
    `trace=False` as LangGraph uses for its own nodes: no callback run per call.
    """

    @wraps(func)
    async def run_inline(*args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    return RunnableCallable(func, run_inline, name=name, trace=False)


def build_graph(
    *,
    model: BaseChatModel,
    tools: Sequence[BaseTool],
    checkpointer: BaseCheckpointSaver[str] | None,
    clock: Clock,
    settings: GraphSettings,
    fallback: BaseChatModel | None = None,
    rate_limiter: TurnRateLimiter | None = None,
) -> Graph:
    """Return the compiled advisor graph.

    guard_input -> [summarise] -> call_model <-> run_tools (-> record_results) -> check_reply
    -> [human_review]. `fallback` (default: the offline model) answers when the provider
    fails; the output guard asks a remote model once to correct a rejected reply, then
    answers from templates (`agent.reply_check`).
    """
    tool_list = list(tools)
    backup = (fallback or OfflineAdvisorModel()).bind_tools(tool_list)
    bound = model.bind_tools(tool_list)
    offline = isinstance(model, OfflineAdvisorModel)
    primary = resilient(bound, is_offline=offline)
    limiter = rate_limiter if rate_limiter is not None else TurnRateLimiter(clock)
    graph = StateGraph(AgentState, context_schema=RunContext)
    call_model = make_call_model(primary, backup, settings)
    graph.add_node("guard_input", inline(make_guard_input(settings, limiter), "guard_input"))
    graph.add_node("summarise", inline(make_summarise(settings), "summarise"))
    graph.add_node("call_model", RunnableCallable(call_model, call_model.acall, name="call_model"))
    graph.add_node("run_tools", ToolNode(tool_list, handle_tool_errors=tool_error_payload))
    graph.add_node("record_results", inline(make_record_results(), "record_results"))
    check = CheckReply(
        None if offline else bound, backup, settings, lambda state: call_model.prompt(state)
    )
    graph.add_node("check_reply", RunnableCallable(check, check.acall, name="check_reply"))
    graph.add_node("human_review", make_human_review())
    graph.add_edge(START, "guard_input")
    graph.add_conditional_edges("guard_input", inline(after_input(settings), "after_input"))
    graph.add_edge("summarise", "call_model")
    graph.add_conditional_edges("call_model", inline(after_model, "after_model"))
    graph.add_edge("run_tools", "record_results")
    graph.add_edge("record_results", "call_model")
    graph.add_conditional_edges("check_reply", inline(after_check(settings), "after_check"))
    graph.add_edge("human_review", END)
    return graph.compile(checkpointer=checkpointer)
