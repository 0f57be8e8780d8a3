"""UI experiment assignment: deterministic, weighted, independent per experiment."""

from collections import Counter

import pytest

from agent.experiments import UI_EXPERIMENTS, UiArm, UiExperiment, assign_ui_variants


def test_weights_split_users_and_experiments_are_independent():
    users = [f"usr_{i:05d}" for i in range(2000)]
    assigned = [assign_ui_variants(u) for u in users]
    layout = Counter(a["chat_layout"] for a in assigned)
    assert 900 < layout["panel"] < 1100
    pairs = Counter((a["chat_layout"], a["offer_presentation"]) for a in assigned)
    assert len(pairs) == 4 and min(pairs.values()) > 400  # not the same hash for both
    assert [assign_ui_variants(u) for u in users[:50]] == assigned[:50]


def test_weights_come_from_the_experiment_definition():
    skewed = (UiExperiment("chat_layout", 2, (UiArm("panel", 0), UiArm("floating", 1))),)
    assert {assign_ui_variants(f"u{i}", skewed)["chat_layout"] for i in range(50)} == {"floating"}
    with pytest.raises(ValueError):
        assign_ui_variants("u", (UiExperiment("x", 1, (UiArm("a", 0),)),))
    assert {e.name for e in UI_EXPERIMENTS} == {"chat_layout", "offer_presentation"}
