from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from core.clock import FixedClock
from lending.policy import load_policy
from tests.fakes.knowledge import FakeKnowledgeBase
from tests.fakes.scoring import RuleScorer
from tools.ports import ToolDeps
from tools.registry import build_tools


class RecordingEvents:
    def __init__(self) -> None:
        self.events: list[tuple[str, str | None, dict[str, Any]]] = []

    def record(self, event, thread_id, payload):
        self.events.append((event, thread_id, payload))


@pytest.fixture
def events():
    return RecordingEvents()


@pytest.fixture
def deps(events):
    counter = iter(range(1, 10_000))
    return ToolDeps(
        scorer=RuleScorer(),
        policy=load_policy(),
        clock=FixedClock(datetime(2026, 11, 25, tzinfo=UTC)),
        knowledge=FakeKnowledgeBase(),
        events=events,
        make_id=lambda prefix: f"{prefix}_{next(counter):04d}",
    )


@pytest.fixture
def tools(deps):
    return {t.name: t for t in build_tools(deps)}


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
CONFIG = {"configurable": {"thread_id": "thr_test"}}


@pytest.fixture
def approved(tools):
    return tools["submit_application"].invoke({"profile": PROFILE, "request": REQUEST}, CONFIG)
