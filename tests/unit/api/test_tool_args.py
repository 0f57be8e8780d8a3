"""Tool-call arguments are streamed only as the tool's own schema accepts them."""

from datetime import UTC, datetime

from langgraph.checkpoint.memory import InMemorySaver

from agent.advisor import build_advisor
from agent.offline.model import OfflineAdvisorModel
from api.tool_args import ToolArgs
from core.clock import FixedClock
from lending.policy import load_policy
from tests.fakes.knowledge import FakeKnowledgeBase
from tests.fakes.scoring import RuleScorer
from tools.ports import ToolDeps
from tools.quote import quote_loan


def _args() -> ToolArgs:
    return ToolArgs({"quote_loan": quote_loan})


def test_declared_arguments_pass_as_the_schema_reads_them():
    args = {"product": "car", "amount": 20000, "tenure_months": 48}
    assert _args().accepted("quote_loan", args) == {**args, "amount": 20000.0}


def test_an_argument_the_tool_does_not_declare_is_dropped():
    args = {"product": "car", "amount": 20000, "tenure_months": 48, "monthly_payment": 199.99}
    assert "monthly_payment" not in _args().accepted("quote_loan", args)


def test_a_call_the_schema_rejects_or_an_unknown_tool_shows_no_arguments():
    assert (
        _args().accepted("quote_loan", {"product": "car", "amount": -5, "tenure_months": 48}) == {}
    )
    assert _args().accepted("quote_loan", "not a dict") == {}
    assert _args().accepted("make_it_up", {"amount": 1}) == {}


def test_the_tools_are_read_from_the_advisor_graph():
    deps = ToolDeps(
        policy=load_policy(),
        clock=FixedClock(datetime(2026, 11, 25, tzinfo=UTC)),
        scorer=RuleScorer(),
        knowledge=FakeKnowledgeBase(),
        applications=None,
    )
    graph = build_advisor(
        model=OfflineAdvisorModel(), deps=deps, checkpointer=InMemorySaver(), provider="o:o"
    )
    tools = ToolArgs.of_graph(graph).tools
    assert {"quote_loan", "submit_application", "negotiate_offer"} <= set(tools)
    accepted = ToolArgs.of_graph(graph).accepted(
        "negotiate_offer", {"offer_id": "1", "kind": "shorter"}
    )
    assert accepted == {"offer_id": "1", "kind": "shorter"}  # the injected runtime is not shown
    assert ToolArgs.of_graph(object()).tools == {}
