"""The DynamoDB experiment store against DynamoDB Local: the SQLite store's contract, then
the races only DynamoDB has (two starts at once, exposures spread over shards)."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from api.backends import build_experiments
from api.bootstrap import bootstrap
from core.config import Settings
from core.errors import Conflict
from experiments.store_dynamodb import DynamoExperimentStore
from tests.integration.test_kb_dynamodb import dynamodb_url  # noqa: F401 - shared fixture
from tests.unit.experiments.conftest import clock, definition  # noqa: F401 - shared fixture
from tests.unit.experiments.test_store import (  # noqa: F401 - the contract, run on DynamoDB
    test_a_draft_may_be_replaced,
    test_changing_arms_of_a_running_version_is_refused,
    test_exposure_is_recorded_once_at_first_sight,
    test_life_cycle_and_stamps,
)

pytestmark = pytest.mark.integration


@pytest.fixture
def store(dynamodb_url, monkeypatch, request, tmp_path, clock):  # noqa: F811
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "local")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "local")
    settings = Settings(
        var_dir=tmp_path,
        store="dynamodb",
        dynamodb_endpoint_url=dynamodb_url,
        dynamodb_table_prefix="exp" + re.sub(r"[^a-z0-9]", "", request.node.name[-14:].lower()),
    )
    bootstrap(settings, report=lambda line: None)
    built = build_experiments(settings, clock)
    assert isinstance(built, DynamoExperimentStore)  # the composition root picks DynamoDB
    return built


def test_two_concurrent_starts_on_one_surface_let_one_win(store):
    store.save(definition(key="tone_a"))
    store.save(definition(key="tone_b"))

    def start(key: str) -> str:
        try:
            return str(store.transition(key, 1, "start").status)
        except Conflict:
            return "refused"

    with ThreadPoolExecutor(2) as pool:
        outcomes = sorted(pool.map(start, ["tone_a", "tone_b"]))
    assert outcomes == ["refused", "running"]
    assert len(store.running("prompt")) == 1


def test_stopping_frees_the_surface(store):
    store.save(definition(key="tone_a"))
    store.save(definition(key="tone_b"))
    store.transition("tone_a", 1, "start")
    with pytest.raises(Conflict, match="tone_a/v1 is running on prompt"):
        store.transition("tone_b", 1, "start")
    store.transition("tone_a", 1, "stop")
    assert store.transition("tone_b", 1, "start").status == "running"


def test_exposures_over_every_shard_come_back_once_each(store):
    users = [f"user-{i:03d}" for i in range(60)]
    assert all(store.expose("tone/v1", u, "AB"[i % 2]) for i, u in enumerate(users))
    assert not any(store.expose("tone/v1", u, "A") for u in users[:10])
    got = store.exposures("tone/v1")
    assert sorted(e.user_id for e in got) == users
    assert sum(e.arm == "A" for e in got) == 30
