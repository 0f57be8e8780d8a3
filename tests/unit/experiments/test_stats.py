"""The statistics agree with scipy/statsmodels and hold their error rates in simulation."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportions_ztest

from experiments.stats import (
    ArmSummary,
    compare,
    msprt_p_value,
    sample_ratio_p_value,
    summarise,
    two_proportion_z,
    welch_t,
)


def _binomial(successes: int, n: int) -> ArmSummary:
    p = successes / n
    return ArmSummary(n, p, p * (1 - p) * n / (n - 1))


def test_two_proportion_z_matches_statsmodels() -> None:
    c, t = _binomial(300, 1000), _binomial(345, 1000)
    _, expected = proportions_ztest([345, 300], [1000, 1000])
    assert two_proportion_z(c, t) == pytest.approx(expected, rel=1e-3)


def test_welch_matches_scipy() -> None:
    rng = np.random.default_rng(1)
    a, b = rng.normal(3, 1, 500), rng.normal(3.2, 2, 400)
    expected = stats.ttest_ind(b, a, equal_var=False).pvalue
    assert welch_t(summarise(list(a)), summarise(list(b))) == pytest.approx(expected, rel=1e-9)


def test_srm_matches_scipy_and_flags_a_skew() -> None:
    assert sample_ratio_p_value([5000, 5000], [1, 1]) == pytest.approx(1.0)
    expected = stats.chisquare([5200, 4800]).pvalue
    assert sample_ratio_p_value([5200, 4800], [50, 50]) == pytest.approx(expected)
    assert sample_ratio_p_value([5200, 4800], [50, 50]) < 0.001
    assert sample_ratio_p_value([2500, 7500], [1, 3]) == pytest.approx(1.0)


def test_bayesian_summaries_follow_the_effect() -> None:
    c, t = _binomial(300, 1000), _binomial(400, 1000)
    r = compare(c, t, binomial=True, alpha=0.05)
    assert r.chance_to_beat_control > 0.99 and r.expected_loss < 1e-4
    assert r.ci_low < 0.1 < r.ci_high
    worse = compare(t, c, binomial=True, alpha=0.05)
    assert worse.chance_to_beat_control < 0.01 and worse.expected_loss > 0.09


def _draw(rng: np.random.Generator, p: float, n: int, sims: int) -> list[ArmSummary]:
    return [_binomial(int(k), n) for k in rng.binomial(n, p, sims)]


def test_aa_false_positive_rate_is_alpha() -> None:
    rng = np.random.default_rng(7)
    a, b = _draw(rng, 0.3, 4000, 1000), _draw(rng, 0.3, 4000, 1000)
    hits = sum(
        compare(x, y, binomial=True, alpha=0.05).p_value < 0.05 for x, y in zip(a, b, strict=True)
    )
    assert 0.035 <= hits / 1000 <= 0.065


def test_injected_effect_is_detected_80_percent() -> None:
    rng = np.random.default_rng(8)
    a, b = _draw(rng, 0.30, 4000, 500), _draw(rng, 0.35, 4000, 500)
    hits = sum(
        compare(x, y, binomial=True, alpha=0.05).p_value < 0.05 for x, y in zip(a, b, strict=True)
    )
    assert hits / 500 >= 0.8


def test_sequential_daily_peeking_keeps_the_false_positive_rate() -> None:
    rng = np.random.default_rng(9)
    sims, days, per_day, p = 1000, 30, 150, 0.3
    ca = rng.binomial(per_day, p, (sims, days)).cumsum(axis=1)
    cb = rng.binomial(per_day, p, (sims, days)).cumsum(axis=1)
    false_pos = 0
    for i in range(sims):
        for day in range(days):
            n = per_day * (day + 1)
            c, t = _binomial(int(ca[i, day]), n), _binomial(int(cb[i, day]), n)
            if compare(c, t, binomial=True, alpha=0.05, sequential_tau=0.05).p_value < 0.05:
                false_pos += 1
                break
    assert false_pos / sims <= 0.05


def test_msprt_rejects_a_real_effect_eventually() -> None:
    assert msprt_p_value(0.05, 0.01, 0.05) < 0.001
    assert msprt_p_value(0.0, 0.01, 0.05) == 1.0
