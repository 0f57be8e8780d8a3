"""Graph nodes. Each is built by a small factory that receives its dependencies."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AnyMessage, SystemMessage
from langchain_core.tools import BaseTool

from agent.guardrails import ungrounded_numbers
from agent.state import AgentState


class Node(Protocol):
    """A graph node: reads the state, returns the update."""

    def __call__(self, state: AgentState) -> dict[str, Any]:
        """Run the node."""
        ...


def make_call_model(
    model: BaseChatModel, tools: Sequence[BaseTool], system_prompt: str, versions: dict[str, str]
) -> Node:
    """Build the node that asks the chat model for the next step (tool calls or a reply)."""
    bound = model.bind_tools(list(tools))

    def call_model(state: AgentState) -> dict[str, Any]:
        messages: list[AnyMessage] = [SystemMessage(system_prompt), *state["messages"]]
        reply = bound.invoke(messages)
        return {"messages": [reply], "versions": versions}

    return call_model


def make_check_reply(fallback: BaseChatModel) -> Node:
    """Build the output guard: a reply with an unsupported number is replaced by the templated one.

    The fallback is the offline advisor, whose replies copy numbers from tool
    results, so the replacement can never fail the same check.
    """

    def check_reply(state: AgentState) -> dict[str, Any]:
        messages = state["messages"]
        draft = messages[-1]
        if not isinstance(draft, AIMessage):
            return {"guardrail_notes": []}
        history = messages[:-1]
        bad = ungrounded_numbers(str(draft.content), history)
        if not bad:
            return {"guardrail_notes": []}
        replacement = fallback.invoke(history)
        fixed = AIMessage(content=replacement.content, id=draft.id)
        note = f"replaced a reply quoting unsupported numbers: {', '.join(sorted(bad))}"
        return {"messages": [fixed], "guardrail_notes": [note]}

    return check_reply
