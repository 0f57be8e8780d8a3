"""Thread memory: summarising long threads (checkpointers come from the composition root).

Summaries are deterministic (built from the dialogue's facts, not by a model): a
summary an LLM wrote could drop or change a figure, and the output guard needs
every earlier tool figure to stay grounded after the trim. A model reads the summary as
labelled lines (amount, term, income, the decision, each offer with its id) and a short
prose account, kept within `SUMMARY_TOKEN_BUDGET`; the same facts ride along, structured,
for the offline model. Age and marital status are left out: they are collected only to
check eligibility and are never a reason to say anything about a loan.
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


SUMMARY_TOKEN_BUDGET = 350
_SLOT_LABELS = (  # (slot, label, money?) in the order a reader wants them
    ("product", "Product", False),
    ("amount", "Amount requested", True),
    ("tenure_months", "Term (months)", False),
    ("annual_income", "Annual income", True),
    ("employment_status", "Employment", False),
    ("credit_score", "Credit score", False),
)


def _money(value: Any) -> str:
    try:
        return f"${float(value):,.2f}".replace(".00", "")
    except (TypeError, ValueError):
        return str(value)


def _offer_line(offer: dict[str, Any]) -> str:
    return (
        # The tools name an offer by its option number (`offer_id`); `offer_ref` is the record's.
        f"option {offer.get('offer_id', '?')} (offer ref {offer.get('offer_ref', '?')}): "
        f"{_money(offer.get('amount'))} over {offer.get('tenure_months')} months at "
        f"{offer.get('annual_rate_pct')}% a year ({offer.get('apr_pct')}% APR), "
        f"{_money(offer.get('monthly_payment'))} a month, status {offer.get('status', 'active')}"
    )


def labelled_facts(facts: dict[str, Any]) -> list[str]:
    """Return the facts as "- Label: value" lines, most important first."""
    slots = facts.get("slots") or {}
    lines = [
        f"- {label}: {_money(slots[key]) if money else slots[key]}"
        for key, label, money in _SLOT_LABELS
        if slots.get(key) not in (None, "")
    ]
    app = facts.get("application") or {}
    if app:
        outcome = (app.get("decision") or {}).get("outcome", app.get("outcome", "pending"))
        lines.append(
            f"- Application: {app.get('application_id')}, status {app.get('status')}, "
            f"decision {outcome}"
        )
        if app.get("accepted_offer_id"):
            lines.append(f"- Accepted offer id: {app['accepted_offer_id']}")
        lines.extend(f"- Offer {_offer_line(o)}" for o in app.get("offers") or [])
    return lines


def render_summary(
    facts: dict[str, Any], prose: str, budget_tokens: int = SUMMARY_TOKEN_BUDGET
) -> str:
    """Render the summary a model reads, dropping the least important lines past the budget.

    The prose goes first, then the oldest offers; amount, term, income and the decision
    stay whatever the budget (a summary without them is no use to the next turn).
    """
    template, _ = load_prompt("summary")
    lines = labelled_facts(facts)
    keep = len([line for line in lines if not line.startswith("- Offer ")])

    def render(body: list[str], story: str) -> str:
        return template.format(facts="\n".join(body), summary=story)

    text = render(lines, prose)
    if len(text) // 4 > budget_tokens:
        prose = "(shortened) " + prose[: max(0, len(prose) - (len(text) - budget_tokens * 4))]
        text = render(lines, prose)
    while len(text) // 4 > budget_tokens and len(lines) > keep:
        lines.pop(keep)  # the oldest offer: later ones replace it in a negotiation
        text = render(lines, prose)
    return text


def _prose(old: list[AnyMessage]) -> str:
    tools = sorted({m.name or "" for m in old if isinstance(m, ToolMessage)})
    asks = sum(isinstance(m, HumanMessage) for m in old)
    return (
        f"the applicant sent {asks} earlier message(s); tools used: {', '.join(tools) or 'none'}."
    )


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
        summary = render_summary(facts, _prose(list(old)))
        return {
            "messages": [RemoveMessage(id=m.id) for m in old if m.id],
            "summary": summary,
            "facts": facts,
        }

    return summarise
