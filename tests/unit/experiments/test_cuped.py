"""CUPED against a hand computation and statsmodels; Holm against statsmodels; both in analyse."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
import statsmodels.api as sm
from statsmodels.stats.multitest import multipletests

from experiments.analysis import Outcome, analyse
from experiments.assignment import assign
from experiments.cuped import cuped_adjust, cuped_theta
from experiments.store import Exposure
from tests.unit.experiments.conftest import T0, definition


def test_theta_and_reduction_by_hand():
    # x = 1, 2, 3, 4 (mean 2.5, var 5/3); y = 2, 4, 5, 9 (mean 5, var 26/3)
    # cov = ((-1.5)(-3) + (-0.5)(-1) + (0.5)(0) + (1.5)(4)) / 3 = 11 / 3; theta = 11/5 = 2.2
    fit = cuped_theta([2, 4, 5, 9], [1, 2, 3, 4])
    assert fit.theta == pytest.approx(2.2)
    # y' = y - 2.2 (x - 2.5) = 5.3, 5.1, 3.9, 5.7 (mean 5) -> var 1.8 / 3 = 0.6
    assert fit.variance_reduction == pytest.approx(1 - 0.6 / (26 / 3))  # = 121/130
    corr = np.corrcoef([1, 2, 3, 4], [2, 4, 5, 9])[0, 1]
    assert fit.variance_reduction == pytest.approx(corr**2)


def test_theta_is_the_pooled_least_squares_slope():
    rng = np.random.default_rng(3)
    x = rng.poisson(2.0, 500).astype(float)
    y = 0.7 * x + rng.normal(0, 1, 500)
    slope = sm.OLS(y, sm.add_constant(x)).fit().params[1]
    assert cuped_theta(y.tolist(), x.tolist()).theta == pytest.approx(slope)


def test_adjustment_is_pooled_and_keeps_the_difference_when_covariates_balance():
    post = {"A": [1.0, 3.0], "B": [2.0, 6.0]}
    pre = {"A": [0.0, 2.0], "B": [0.0, 2.0]}  # the same history in both arms
    adjusted, fit = cuped_adjust(post, pre)
    diff = np.mean(adjusted["B"]) - np.mean(adjusted["A"])
    assert diff == pytest.approx(np.mean(post["B"]) - np.mean(post["A"]))
    assert fit.theta == pytest.approx(cuped_theta([1, 3, 2, 6], [0, 2, 0, 2]).theta)


def test_no_history_changes_nothing():
    adjusted, fit = cuped_adjust({"A": [1.0, 0.0], "B": [0.0, 1.0]}, {"A": [0, 0], "B": [0, 0]})
    assert fit.theta == 0 and fit.variance_reduction == 0
    assert adjusted == {"A": [1.0, 0.0], "B": [0.0, 1.0]}


def _history(d, users: int, lift: float, seed: int):
    """Users with a steady habit: the same propensity before and after their exposure."""
    rng = np.random.default_rng(seed)
    exposures, outcomes = [], []
    for i in range(users):
        user = f"usr_{seed}_{i}"
        arm = assign(d, user).arm
        at = T0 + timedelta(days=30, minutes=i)
        exposures.append(Exposure(experiment_id=d.experiment_id, user_id=user, arm=arm, at=at))
        habit = rng.gamma(2.0, 1.5)
        for when, rate in ((-1, habit), (1, habit * (1 + (lift if arm == "B" else 0)))):
            for _ in range(rng.poisson(rate)):
                stamp = at + timedelta(days=when * rng.uniform(0.1, 20))
                outcomes.append(Outcome(user_id=user, event="offer_viewed", at=stamp))
    return exposures, outcomes


def test_cuped_in_the_analysis_narrows_the_interval_around_the_same_effect():
    metric = {"name": "views", "event": "offer_viewed", "kind": "mean"}
    plain = definition(primary_metric=metric, guardrail_metrics=[])
    cuped = definition(primary_metric=metric, guardrail_metrics=[], cuped=True)
    exposures, outcomes = _history(plain, 3000, lift=0.08, seed=5)
    a = analyse(plain, exposures, outcomes).metrics[0]
    b = analyse(cuped, exposures, outcomes).metrics[0]
    plain_b, cuped_b = a.arms[1], b.arms[1]
    assert None not in (plain_b.diff_ci_low, plain_b.diff_ci_high, cuped_b.diff_ci_low)
    plain_width = float(plain_b.diff_ci_high or 0) - float(plain_b.diff_ci_low or 0)
    cuped_width = float(cuped_b.diff_ci_high or 0) - float(cuped_b.diff_ci_low or 0)
    assert a.variance_reduction is None and b.variance_reduction is not None
    assert b.variance_reduction > 0.3
    assert cuped_width < 0.85 * plain_width
    # the same effect, less noise
    assert abs(float(cuped_b.difference or 0) - float(plain_b.difference or 0)) < 0.1
    assert b.arms[1].mean == a.arms[1].mean  # arm figures are reported unadjusted


def test_holm_matches_statsmodels_on_three_treatments():
    arms = [{"name": n, "weight": 25} for n in ("A", "B", "C", "D")]
    d = definition(arms=arms, guardrail_metrics=[])
    rng = np.random.default_rng(8)
    rates = {"A": 0.30, "B": 0.34, "C": 0.30, "D": 0.31}
    exposures, outcomes = [], []
    for i in range(6000):
        user = f"usr_{i}"
        arm = assign(d, user).arm
        exposures.append(Exposure(experiment_id=d.experiment_id, user_id=user, arm=arm, at=T0))
        if rng.random() < rates[arm]:
            outcomes.append(Outcome(user_id=user, event="accepted", at=T0 + timedelta(hours=1)))
    r = analyse(d, exposures, outcomes)
    m = r.metrics[0]
    treated = [a for a in m.arms if a.arm != "A"]
    raw = [a.p_value_raw for a in treated]
    reject, expected, _, _ = multipletests(raw, alpha=0.05, method="holm")
    assert m.p_adjustment == "holm"
    assert [a.p_value for a in treated] == pytest.approx(list(expected))
    assert [a.significant for a in treated] == list(reject)
    assert all(float(a.p_value or 0) >= float(a.p_value_raw or 0) for a in treated)
    assert "Holm" in r.notes[0]
