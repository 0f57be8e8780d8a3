from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from core.clock import FixedClock
from experiments.definition import ExperimentDefinition, validate_definition
from experiments.store import SqliteExperimentStore
from storage.sqlite import Database

T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)


def definition(**over: Any) -> ExperimentDefinition:
    data: dict[str, Any] = {
        "key": "prompt_style",
        "version": 1,
        "surface": "prompt",
        "arms": [{"name": "A", "weight": 50}, {"name": "B", "weight": 50}],
        "primary_metric": {"name": "accepted", "event": "accepted"},
        "guardrail_metrics": [{"name": "handover", "event": "handover", "direction": "decrease"}],
        "min_sample_per_arm": 200,
        "status": "running",
    }
    data.update(over)
    return validate_definition(data)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def store(tmp_path, clock) -> SqliteExperimentStore:
    return SqliteExperimentStore(Database(tmp_path / "exp.sqlite"), clock)
