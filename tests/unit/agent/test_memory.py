"""Summaries a model can read: labelled facts and prose, within budget, enough to answer from."""

import re
from datetime import UTC, datetime

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver

from agent.guardrails import check_text, thread_grounding
from agent.memory import SUMMARY_TOKEN_BUDGET, render_summary
from core.clock import FixedClock
from lending.policy import load_policy
from tests.fakes.conversations import GOOD_APPLICANT
from tests.fakes.knowledge import FakeKnowledgeBase
from tests.fakes.scoring import RuleScorer
from tests.unit.agent.conftest import Chat, offline_advisor

_LINE = re.compile(r"^- ([^:]+): (.+)$", re.MULTILINE)


def answer_from_summary(messages: list[BaseMessage]) -> AIMessage:
    """A reader that sees only the summary (no trimmed message) and answers from its labels."""
    summary = next(str(m.content) for m in messages if isinstance(m, SystemMessage)
                   and str(m.content).startswith("Summary of the earlier part"))  # fmt: skip
    facts = dict(_LINE.findall(summary))
    option = re.search(r"option 1 \(offer ref ([\w-]+)\): (.+?) a month", summary)
    assert option, summary
    return AIMessage(
        f"You asked for {facts['Amount requested']} over {facts['Term (months)']} months "
        f"on an income of {facts['Annual income']}. Option 1 is offer {option.group(1)}: "
        f"{option.group(2)} a month."
    )


def _summarised_thread(service):
    graph = offline_advisor(
        InMemorySaver(),
        applications=service,
        scorer=RuleScorer(),
        knowledge=FakeKnowledgeBase(),
        clock=FixedClock(datetime(2026, 11, 25, tzinfo=UTC)),
        token_budget=400,
    )
    chat = Chat(graph, "long")
    after = ["what is APR?", "is there a prepayment penalty?", "thanks", "what is APR?"]
    for text in [*GOOD_APPLICANT, "yes", *after]:
        chat.say(text)
    return chat.state


def test_a_model_answers_from_the_summary_alone(service):
    state = _summarised_thread(service)
    summary = state["summary"]
    kept = state["messages"]
    assert not any(isinstance(m, ToolMessage) and m.name == "submit_application" for m in kept)
    reply = answer_from_summary([SystemMessage(summary), HumanMessage("remind me of my loan")])
    offer = state["facts"]["application"]["offers"][0]
    assert offer["offer_ref"] in reply.content and "48 months" in reply.content
    assert f"${float(offer['monthly_payment']):,.2f}" in reply.content
    # Every figure the reader quoted is grounded for the guard (carried in the facts).
    grounded, product = thread_grounding(kept, state["facts"], None)
    assert check_text(str(reply.content), grounded, load_policy(), product).ok
    assert "Age" not in summary and "Marital" not in summary  # not facts about the loan
    offer_lines = [line for line in summary.splitlines() if line.lstrip().startswith("- Offer")]
    assert len(offer_lines) == len(set(offer_lines)), "an offer is listed twice"


def test_the_summary_keeps_its_labelled_facts_within_the_budget():
    offers = [
        {"offer_id": str(i), "offer_ref": f"off_{i}", "amount": "20000", "tenure_months": 48,
         "annual_rate_pct": "8.25", "apr_pct": "8.77", "monthly_payment": "490.12"}
        for i in range(1, 40)
    ]  # fmt: skip
    facts = {
        "slots": {"product": "car", "amount": 20000, "tenure_months": 48, "annual_income": 96000},
        "application": {"application_id": "app_1", "status": "offered",
                        "decision": {"outcome": "approved"}, "offers": offers},
    }  # fmt: skip
    text = render_summary(facts, "x" * 5000)
    assert len(text) // 4 <= SUMMARY_TOKEN_BUDGET
    for label in ("Amount requested: $20,000", "Term (months): 48", "Annual income: $96,000",
                  "Application: app_1, status offered, decision approved"):  # fmt: skip
        assert label in text
    assert "off_39" in text  # the newest offers survive; the oldest go first
