from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from agent.advisor import build_advisor
from agent.offline.model import OfflineAdvisorModel
from applications import build_application_service
from core.clock import Clock, FixedClock
from lending.policy import load_policy
from tests.fakes.knowledge import FakeKnowledgeBase
from tests.fakes.scoring import RuleScorer
from tests.fakes.stores import sqlite_repos
from tools.context import RunContext
from tools.ports import ToolDeps


def offline_advisor(checkpointer: Any, *, clock: Clock, token_budget: int = 3000, **deps: Any):
    """Build the advisor on the offline model with these tool dependencies (no settings)."""
    tool_deps = ToolDeps(policy=load_policy(), clock=clock, **deps)
    return build_advisor(
        model=OfflineAdvisorModel(),
        deps=tool_deps,
        checkpointer=checkpointer,
        provider="offline:advisor-v1",
        token_budget=token_budget,
    )


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
def advisor(service):
    return offline_advisor(
        InMemorySaver(),
        scorer=RuleScorer(),
        knowledge=FakeKnowledgeBase(),
        applications=service,
        clock=CLOCK,
    )


@pytest.fixture
def chat(advisor):
    return Chat(advisor)
