from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from agent.advisor import build_advisor
from core.clock import FixedClock
from core.config import Settings
from tests.fakes.knowledge import FakeKnowledgeBase
from tests.fakes.scoring import RuleScorer


class Chat:
    """Drive one thread of the offline advisor turn by turn."""

    def __init__(self, graph, thread: str = "t1") -> None:
        self.graph = graph
        self.config = {"configurable": {"thread_id": thread}}
        self.state: dict[str, Any] = {}

    def say(self, text: str) -> str:
        self.state = self.graph.invoke({"messages": [("user", text)]}, self.config)
        return str(self.state["messages"][-1].content)


@pytest.fixture
def advisor(tmp_path):
    return build_advisor(
        Settings(var_dir=tmp_path),
        InMemorySaver(),
        scorer=RuleScorer(),
        knowledge=FakeKnowledgeBase(),
        clock=FixedClock(datetime(2026, 11, 25, tzinfo=UTC)),
    )


@pytest.fixture
def chat(advisor):
    return Chat(advisor)
