from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from langchain.tools import ToolRuntime
from langchain_core.messages import HumanMessage

from applications.service import ApplicationService
from applications.snapshot import ThreadApplication
from applications.underwriting import Underwriter
from core.clock import FixedClock
from lending.policy import load_policy
from tests.fakes.knowledge import FakeKnowledgeBase
from tests.fakes.scoring import RuleScorer
from tests.fakes.stores import sqlite_repos
from tools.context import RunContext
from tools.ports import ToolDeps
from tools.registry import build_tools

NOW = datetime(2026, 11, 25, tzinfo=UTC)


class RecordingEvents:
    def __init__(self) -> None:
        self.events: list[tuple[str, str | None, dict[str, Any]]] = []

    def record(self, event, thread_id, payload):
        self.events.append((event, thread_id, payload))


@pytest.fixture
def events():
    return RecordingEvents()


@pytest.fixture
def clock():
    return FixedClock(NOW)


@pytest.fixture
def repos(tmp_path, clock):
    built = sqlite_repos(tmp_path / "app.sqlite", clock)
    yield built
    built.close()


@pytest.fixture
def service(repos, clock):
    counter = iter(range(1, 10_000))
    return ApplicationService(
        repos,
        Underwriter(RuleScorer(), load_policy()),
        clock,
        make_id=lambda prefix: f"{prefix}_{next(counter):04d}",
    )


@pytest.fixture
def deps(events, service, clock):
    counter = iter(range(1, 10_000))
    return ToolDeps(
        scorer=RuleScorer(),
        policy=load_policy(),
        clock=clock,
        applications=service,
        knowledge=FakeKnowledgeBase(),
        events=events,
        make_id=lambda prefix: f"{prefix}_{next(counter):04d}",
    )


@pytest.fixture
def tools(deps):
    return {t.name: t for t in build_tools(deps)}


class Thread:
    """One conversation's state, as the graph would hold it, calling tools like the ToolNode."""

    def __init__(self, tools, user_id="usr_alice001", thread_id="thr_test") -> None:
        self.tools = tools
        self.context = RunContext(user_id=user_id, thread_id=thread_id)
        self.state: dict[str, Any] = {"messages": [HumanMessage("hi")], "application": None}

    def say(self, text: str) -> None:
        self.state["messages"].append(HumanMessage(text))

    def runtime(self) -> ToolRuntime:
        return ToolRuntime(
            state=self.state,
            context=self.context,
            config={},
            stream_writer=lambda _: None,
            tool_call_id="call_1",
            store=None,
        )

    def call(self, name: str, **args: Any) -> dict[str, Any]:
        out = self.tools[name].invoke({**args, "runtime": self.runtime()})
        if isinstance(out, dict) and isinstance(out.get("snapshot"), dict):
            self.state["application"] = ThreadApplication.model_validate(out["snapshot"])
        result: dict[str, Any] = out
        return result


@pytest.fixture
def thread(tools):
    return Thread(tools)


PROFILE = {
    "age": 35,
    "annual_income": 85000,
    "monthly_debt_payments": 0,
    "credit_score": 720,
    "employment_status": "Employed",
    "years_employed": 6,
    "savings_balance": 12000,
    "checking_balance": 3000,
    "home_ownership": "Rent",
    "num_dependents": 2,
    "education_level": "Bachelor's",
    "existing_loans": 0,
}
REQUEST = {"product": "car", "amount": 20000, "tenure_months": 48}


@pytest.fixture
def approved(thread):
    return thread.call("submit_application", profile=PROFILE, request=REQUEST)
