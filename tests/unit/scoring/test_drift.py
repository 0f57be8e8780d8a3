"""PSI against hand-computed values, KS, levels, and the report files."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from scoring.drift import (
    categorical_psi,
    drift_report,
    level_for,
    numeric_psi,
    psi_from_shares,
    save_drift_report,
)


def test_psi_of_shares_matches_the_hand_computed_value() -> None:
    # (0.25-0.5)ln(0.25/0.5) + (0.75-0.5)ln(0.75/0.5)
    expected = 0.25 * math.log(2) + 0.25 * math.log(1.5)
    assert psi_from_shares(np.array([0.5, 0.5]), np.array([0.25, 0.75])) == pytest.approx(expected)
    assert psi_from_shares(np.array([0.2, 0.8]), np.array([0.2, 0.8])) == 0.0


def test_categorical_psi_pools_unseen_categories() -> None:
    ref = ["A"] * 50 + ["B"] * 50
    assert categorical_psi(ref, ["A"] * 25 + ["B"] * 75) == pytest.approx(
        0.25 * math.log(2) + 0.25 * math.log(1.5)
    )
    # half the recent rows in a category the reference never saw: that bin dominates
    unseen = categorical_psi(ref, ["A"] * 25 + ["B"] * 25 + ["C"] * 50)
    by_hand = 2 * (0.25 * math.log(2)) + (0.5 - 1e-4) * math.log(0.5 / 1e-4)
    assert unseen == pytest.approx(by_hand)


def test_numeric_psi_uses_reference_deciles() -> None:
    ref = np.arange(1000, dtype=float)  # deciles at 100, 200, ... 900
    assert numeric_psi(ref, ref) == pytest.approx(0.0)
    # every recent value in the top decile: 9 bins at the floor, one at share 1
    top = np.full(100, 950.0)
    by_hand = 9 * (1e-4 - 0.1) * math.log(1e-4 / 0.1) + (1 - 0.1) * math.log(1 / 0.1)
    assert numeric_psi(ref, top) == pytest.approx(by_hand)


def test_levels_follow_the_thresholds() -> None:
    assert [level_for(v) for v in (0.05, 0.1, 0.2, 0.25, 1)] == [
        "ok", "watch", "watch", "act", "act"
    ]  # fmt: skip


def test_report_ranks_drifted_features_and_writes_plot(tmp_path) -> None:
    rng = np.random.default_rng(0)
    ref = pd.DataFrame({"income": rng.normal(50, 10, 4000), "job": rng.choice(["a", "b"], 4000)})
    cur = pd.DataFrame({"income": rng.normal(58, 10, 800), "job": rng.choice(["a", "b"], 800)})
    report = drift_report(ref, cur, ["income"], ["job"], scores=(rng.random(4000), rng.random(800)))
    assert report.features[0].feature == "income" and report.features[0].level == "act"
    assert report.features[0].ks_pvalue is not None and report.features[0].ks_pvalue < 1e-6
    job = next(f for f in report.features if f.feature == "job")
    assert job.level == "ok" and job.ks_statistic is None
    assert report.level == "act"
    js, png = save_drift_report(report, tmp_path)
    assert json.loads(js.read_text())["level"] == "act"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
