"""Freezing startup objects: the collector's full pass no longer walks them."""

from __future__ import annotations

import gc

from api.heap import freeze_startup_objects


class Box:
    """A container the collector tracks (a dict of plain values would not be)."""


def in_oldest(obj: object) -> bool:
    return any(o is obj for o in gc.get_objects(2))


def test_objects_alive_at_startup_leave_the_oldest_generation_until_unfrozen():
    kept = [Box() for _ in range(1000)]
    gc.collect()
    assert in_oldest(kept[0])
    try:
        frozen = freeze_startup_objects()
        assert frozen >= len(kept) and gc.get_freeze_count() == frozen
        assert not in_oldest(kept[0])
    finally:
        gc.unfreeze()
    assert gc.get_freeze_count() == 0 and in_oldest(kept[0])


def test_a_served_app_is_frozen_while_it_runs_and_released_when_it_stops(settings):
    from fastapi.testclient import TestClient

    from api.main import create_app
    from tests.fakes.knowledge import FakeKnowledgeBase
    from tests.fakes.scoring import RuleScorer

    app = create_app(settings, scorer=RuleScorer(), knowledge=FakeKnowledgeBase(), freeze_heap=True)
    with TestClient(app) as client:
        assert gc.get_freeze_count() > 0
        assert client.get("/healthz").status_code == 200
    assert gc.get_freeze_count() == 0


def test_an_app_built_for_tests_leaves_the_collector_alone(client):
    assert gc.get_freeze_count() == 0
