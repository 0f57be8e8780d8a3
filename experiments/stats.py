"""The statistics behind a decision: fixed-horizon and always-valid tests, Bayesian summaries, SRM.

Written on scipy rather than gbstats: gbstats 0.8 pins pandas < 2 and numpy 1.x, which would
downgrade the whole service. Formulas follow the standard references (two-proportion z and Welch
t tests; a normal-approximation Bayesian posterior on the difference, as gbstats uses; the
mixture sequential probability ratio test of Johari et al. 2017 for peeking-safe p-values and
confidence sequences); the unit tests check them against scipy and statsmodels.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from scipy import stats


@dataclass(frozen=True)
class ArmSummary:
    """A metric's sufficient statistics for one arm: users, mean and sample variance."""

    n: int
    mean: float
    variance: float


@dataclass(frozen=True)
class Comparison:
    """Treatment vs control on one metric: the absolute difference and what it means."""

    difference: float
    relative_lift: float | None
    ci_low: float
    ci_high: float
    p_value: float
    chance_to_beat_control: float
    expected_loss: float
    """Expected shortfall of choosing the treatment if it is in fact worse (metric units)."""


def summarise(values: Sequence[float]) -> ArmSummary:
    """Return n, mean and (n-1) variance of per-user values."""
    n = len(values)
    if n == 0:
        return ArmSummary(0, 0.0, 0.0)
    mean = math.fsum(values) / n
    var = math.fsum((v - mean) ** 2 for v in values) / (n - 1) if n > 1 else 0.0
    return ArmSummary(n, mean, var)


def two_proportion_z(control: ArmSummary, treatment: ArmSummary) -> float:
    """Return the two-sided p-value of the pooled two-proportion z test."""
    n1, n2 = control.n, treatment.n
    pooled = (control.mean * n1 + treatment.mean * n2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return 1.0
    z = (treatment.mean - control.mean) / se
    return float(2 * stats.norm.sf(abs(z)))


def welch_t(control: ArmSummary, treatment: ArmSummary) -> float:
    """Return the two-sided p-value of Welch's unequal-variance t test."""
    if control.variance == 0 and treatment.variance == 0:
        return 1.0 if control.mean == treatment.mean else 0.0
    result = stats.ttest_ind_from_stats(
        treatment.mean,
        math.sqrt(treatment.variance),
        treatment.n,
        control.mean,
        math.sqrt(control.variance),
        control.n,
        equal_var=False,
    )
    return float(result.pvalue)


def difference_se(control: ArmSummary, treatment: ArmSummary) -> float:
    """Return the (unpooled) standard error of treatment mean minus control mean."""
    return math.sqrt(control.variance / control.n + treatment.variance / treatment.n)


def msprt_p_value(difference: float, se: float, tau: float) -> float:
    """Return the always-valid p-value of the normal-mixture SPRT (mixing scale `tau`).

    Valid at every look, so a team may check daily without inflating the false-positive rate.
    """
    v, t2 = se**2, tau**2
    if v == 0:
        return 1.0
    log_lr = 0.5 * math.log(v / (v + t2)) + t2 * difference**2 / (2 * v * (v + t2))
    return float(min(1.0, math.exp(-log_lr)))


def msprt_half_width(se: float, tau: float, alpha: float) -> float:
    """Return the half-width of the always-valid (1 - alpha) confidence sequence."""
    v, t2 = se**2, tau**2
    if v == 0:
        return 0.0
    return math.sqrt(v * (v + t2) / t2 * (2 * math.log(1 / alpha) + math.log((v + t2) / v)))


def compare(
    control: ArmSummary,
    treatment: ArmSummary,
    *,
    binomial: bool,
    alpha: float,
    sequential_tau: float | None = None,
) -> Comparison:
    """Compare two arms: difference with CI, p-value, chance to beat control, expected loss.

    `sequential_tau` switches to the always-valid test and confidence sequence.
    """
    diff = treatment.mean - control.mean
    se = difference_se(control, treatment)
    if sequential_tau is not None:
        p = msprt_p_value(diff, se, sequential_tau)
        half = msprt_half_width(se, sequential_tau, alpha)
    else:
        p = two_proportion_z(control, treatment) if binomial else welch_t(control, treatment)
        half = float(stats.norm.ppf(1 - alpha / 2)) * se
    if se > 0:
        ctw = float(stats.norm.cdf(diff / se))
        loss = se * float(stats.norm.pdf(diff / se)) - diff * float(stats.norm.cdf(-diff / se))
    else:
        ctw, loss = (1.0 if diff > 0 else 0.0 if diff < 0 else 0.5), max(0.0, -diff)
    lift = diff / control.mean if control.mean else None
    return Comparison(diff, lift, diff - half, diff + half, p, ctw, max(0.0, loss))


def sample_ratio_p_value(observed: Sequence[int], weights: Sequence[float]) -> float:
    """Return the chi-square goodness-of-fit p-value of the arm counts against the weights."""
    total = sum(observed)
    if total == 0:
        return 1.0
    share = sum(weights)
    expected = [total * w / share for w in weights]
    return float(stats.chisquare(observed, expected).pvalue)
