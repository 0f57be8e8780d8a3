"""Thread memory in DynamoDB (langgraph-checkpoint-aws) against DynamoDB Local."""

from __future__ import annotations

import pytest

pytest.importorskip("langgraph_checkpoint_aws")

from api.composition import open_runtime  # noqa: E402
from tests.fakes.knowledge import FakeKnowledgeBase  # noqa: E402
from tests.fakes.scoring import RuleScorer  # noqa: E402
from tests.integration.test_kb_dynamodb import dynamodb_url, settings  # noqa: E402, F401
from tools.context import RunContext  # noqa: E402

pytestmark = pytest.mark.integration


def _say(graph, text):
    out = graph.invoke(
        {"messages": [("user", text)]},
        {"configurable": {"thread_id": "thr_d"}},
        context=RunContext(user_id="usr_alice001", thread_id="thr_d"),
    )
    return out, str(out["messages"][-1].content)


def test_conversation_survives_a_new_graph_on_dynamodb(settings):  # noqa: F811
    fakes = {"scorer": RuleScorer(), "knowledge": FakeKnowledgeBase()}
    with open_runtime(settings, **fakes) as runtime:
        _, reply = _say(runtime.graph, "I want a car loan of $20,000 over 4 years")
        assert "$494.38" in reply
    with open_runtime(settings, **fakes) as runtime:  # a new process, same table
        out, reply = _say(runtime.graph, "I earn 85k a year, employed full-time for 6 years")
        assert "debts" in reply  # it remembered the loan and asked the next question
        assert [m.type for m in out["messages"]][:3] == ["human", "ai", "tool"]
