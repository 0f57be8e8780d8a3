"""Thread memory in DynamoDB (langgraph-checkpoint-aws) against DynamoDB Local."""

from __future__ import annotations

import pytest

pytest.importorskip("langgraph_checkpoint_aws")

from agent.advisor import build_advisor  # noqa: E402
from agent.memory import open_checkpointer  # noqa: E402
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
    with open_checkpointer(settings) as saver:
        graph = build_advisor(settings, saver, scorer=RuleScorer(), knowledge=FakeKnowledgeBase())
        _, reply = _say(graph, "I want a car loan of $20,000 over 4 years")
        assert "$494.38" in reply
    with open_checkpointer(settings) as saver:  # a new process, same table
        graph = build_advisor(settings, saver, scorer=RuleScorer(), knowledge=FakeKnowledgeBase())
        out, reply = _say(graph, "I earn 85k a year, employed full-time for 6 years")
        assert "debts" in reply  # it remembered the loan and asked the next question
        assert [m.type for m in out["messages"]][:3] == ["human", "ai", "tool"]
