from decimal import Decimal

from langchain_core.messages import HumanMessage
from langgraph.checkpoint.memory import InMemorySaver

from agent.advisor import build_advisor
from core.config import Settings
from lending.amortization import monthly_payment


def _turn(graph, thread, text):
    out = graph.invoke({"messages": [HumanMessage(text)]}, {"configurable": {"thread_id": thread}})
    return out["messages"][-1].content


def test_quote_matches_formula_to_the_cent():
    graph = build_advisor(Settings(), InMemorySaver())
    reply = _turn(graph, "t", "I want a car loan of $20,000 over 4 years")
    expected = monthly_payment(Decimal(20000), Decimal("8.65"), 48)
    assert f"${expected:,.2f}" in reply


def test_asks_for_what_is_missing_then_accepts_correction():
    graph = build_advisor(Settings(), InMemorySaver())
    assert "the amount and the term" in _turn(graph, "t", "a car loan please")
    assert "$48,000.00 over 60 months" in _turn(graph, "t", "48k over 5 years")
    reply = _turn(graph, "t", "actually it's 45k, not 48k")
    assert "$45,000.00 over 60 months" in reply


def test_out_of_range_request_is_explained():
    graph = build_advisor(Settings(), InMemorySaver())
    reply = _turn(graph, "t", "car loan 900k over 4 years")
    assert "could not price" in reply and "$50,000" in reply
