"""The simulation mode end to end: simulated applicants through the API under an experiment."""

from __future__ import annotations

import pytest

from cli.experiments_simulate import DEFINITIONS, simulate

pytestmark = pytest.mark.integration


def test_simulated_users_are_exposed_once_each_and_their_outcomes_counted(tmp_path):
    definition = (
        (DEFINITIONS / "prompt_style_v1.yaml")
        .read_text()
        .replace("min_sample_per_arm: 400", "min_sample_per_arm: 10")
    )
    report = simulate(definition, 4, "happy_path", tmp_path / "sim")
    assert report["conversations"] == 4 and report["conversation_errors"] == 0
    assert sum(report["exposures"].values()) == 4  # each user exposed once, whatever their arm
    primary = report["metrics"][0]
    assert primary["metric"] == "offer_accepted"
    assert sum(a["users"] for a in primary["arms"]) == 4
    # the happy-path personas accept an offer: outcomes joined to the exposures
    assert sum(a["mean"] * a["users"] for a in primary["arms"]) >= 1
    assert report["decision"]["verdict"] == "keep_running"  # below the minimum sample
