from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from agent.advisor import build_advisor
from applications import build_application_service
from core.clock import FixedClock
from core.config import Settings
from lending.policy import load_policy
from tests.fakes.knowledge import FakeKnowledgeBase
from tests.fakes.scoring import RuleScorer
from tests.fakes.stores import sqlite_repos
from tools.context import RunContext


class Chat:
    """Drive one thread of the offline advisor turn by turn."""

    def __init__(self, graph, thread: str = "t1", user: str = "usr_alice001") -> None:
        self.graph = graph
        self.config = {"configurable": {"thread_id": thread}}
        self.context = RunContext(user_id=user, thread_id=thread)
        self.state: dict[str, Any] = {}

    def say(self, text: str) -> str:
        self.state = self.graph.invoke(
            {"messages": [("user", text)]}, self.config, context=self.context
        )
        return str(self.state["messages"][-1].content)


CLOCK = FixedClock(datetime(2026, 11, 25, tzinfo=UTC))


@pytest.fixture
def service(tmp_path):
    repos = sqlite_repos(tmp_path / "app.sqlite", CLOCK)
    yield build_application_service(repos, RuleScorer(), load_policy(), CLOCK)
    repos.close()


@pytest.fixture
def advisor(tmp_path, service):
    return build_advisor(
        Settings(var_dir=tmp_path),
        InMemorySaver(),
        scorer=RuleScorer(),
        knowledge=FakeKnowledgeBase(),
        applications=service,
        clock=CLOCK,
    )


@pytest.fixture
def chat(advisor):
    return Chat(advisor)
