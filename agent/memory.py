"""Thread memory: summarising long threads (checkpointers come from the composition root).

Summaries are deterministic (built from the dialogue's facts, not by a model): a
summary an LLM wrote could drop or change a figure, and the output guard needs
every earlier tool figure to stay grounded after the trim.
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AnyMessage, HumanMessage, RemoveMessage, ToolMessage

from agent.context import GraphSettings
from agent.guardrails import grounded_numbers
from agent.offline.dialogue import facts_of
from agent.state import AgentState
from prompts.loader import load_prompt


def estimate_tokens(messages: list[AnyMessage]) -> int:
    """Estimate tokens as characters / 4 (close enough to budget; no tokenizer needed)."""
    return sum(len(str(m.content)) + 16 for m in messages) // 4


def needs_summary(state: AgentState, settings: GraphSettings) -> bool:
    """Say whether the thread has outgrown its token budget."""
    return estimate_tokens(state["messages"]) > settings.token_budget


def _cut_index(messages: list[AnyMessage], keep_turns: int) -> int:
    """Return where the kept tail starts: at the `keep_turns`-th last applicant message."""
    humans = [i for i, m in enumerate(messages) if isinstance(m, HumanMessage)]
    if len(humans) <= keep_turns:
        return 0
    return humans[-keep_turns]


def make_summarise(settings: GraphSettings) -> Any:
    """Build the node that trims old messages into a summary and carried-forward facts."""

    def summarise(state: AgentState) -> dict[str, Any]:
        messages = state["messages"]
        cut = _cut_index(messages, settings.keep_turns)
        if cut == 0:
            return {}
        old = messages[:cut]
        previous = state.get("facts") or {}
        facts = facts_of(list(old), previous)
        numbers = sorted(grounded_numbers(old, previous.get("numbers", [])))
        facts["numbers"] = numbers
        tools = sorted({m.name or "" for m in old if isinstance(m, ToolMessage)})
        template, _ = load_prompt("summary")
        app = facts.get("application") or {}
        summary_text = (
            f"{len(old)} earlier messages; tools used: {', '.join(tools) or 'none'}; "
            f"application {app.get('application_id', 'not submitted')} "
            f"status {app.get('status', 'n/a')}"
        )
        summary = template.format(summary=summary_text, facts=", ".join(numbers[:200]))
        return {
            "messages": [RemoveMessage(id=m.id) for m in old if m.id],
            "summary": summary,
            "facts": facts,
        }

    return summarise
