"""Versions follow their life cycle; a running design is frozen; exposure is once per user."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.errors import Conflict, NotFound
from tests.unit.experiments.conftest import definition


def test_life_cycle_and_stamps(store, clock):
    d = store.save(definition(status="running"))  # a saved version always starts as a draft
    assert d.status == "draft"
    started = store.transition("prompt_style", 1, "start")
    assert started.status == "running" and started.start == clock.now()
    assert [x.experiment_id for x in store.running("prompt")] == ["prompt_style/v1"]
    clock.advance(timedelta(days=3))
    assert store.transition("prompt_style", 1, "stop").stop == clock.now()
    with pytest.raises(Conflict):
        store.transition("prompt_style", 1, "start")
    assert store.transition("prompt_style", 1, "archive").status == "archived"
    assert store.latest() == [] and len(store.latest(include_archived=True)) == 1


def test_changing_arms_of_a_running_version_is_refused(store):
    store.save(definition())
    store.transition("prompt_style", 1, "start")
    heavier = definition(arms=[{"name": "A", "weight": 10}, {"name": "B", "weight": 90}])
    with pytest.raises(Conflict, match="new version"):
        store.save(heavier)
    renamed = store.save(definition(name="clearer title"))  # metadata may change
    assert renamed.status == "running" and renamed.name == "clearer title"
    assert store.save(definition(version=2, arms=heavier.model_dump()["arms"])).status == "draft"
    with pytest.raises(Conflict, match="running"):
        store.transition("prompt_style", 2, "start")  # one running version per key
    store.save(definition(key="tone"))
    with pytest.raises(Conflict, match="on prompt"):
        store.transition("tone", 1, "start")  # and one per surface
    store.save(definition(key="layout", surface="ui_layout"))
    assert store.transition("layout", 1, "start").status == "running"


def test_a_draft_may_be_replaced(store):
    store.save(definition())
    store.save(definition(arms=[{"name": "A", "weight": 1}, {"name": "C", "weight": 1}]))
    assert [a.name for a in store.get("prompt_style").arms] == ["A", "C"]


def test_exposure_is_recorded_once_at_first_sight(store, clock):
    assert store.expose("prompt_style/v1", "u1", "B") is True
    first = clock.now()
    clock.advance(timedelta(hours=1))
    assert store.expose("prompt_style/v1", "u1", "B") is False
    assert store.expose("other/v1", "u1", "A") is True
    rows = store.exposures("prompt_style/v1")
    assert [(r.user_id, r.arm, r.at) for r in rows] == [("u1", "B", first)]


def test_unknown_is_not_found(store):
    with pytest.raises(NotFound):
        store.get("nope")
