"""Statistics for pass rates: Wilson intervals, exact McNemar, paired bootstrap."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.stats import binomtest


def wilson(passed: int, total: int, confidence: float = 0.95) -> tuple[float, float]:
    """Return the Wilson score interval of a pass rate (0..1); (0, 1) for no trials."""
    if total == 0:
        return 0.0, 1.0
    ci = binomtest(passed, total).proportion_ci(confidence_level=confidence, method="wilson")
    return round(float(ci.low), 4), round(float(ci.high), 4)


def mcnemar_exact(broke: int, fixed: int) -> float:
    """Return the two-sided exact McNemar p-value for paired flips (1.0 when nothing flipped).

    Only discordant pairs carry information; under no change each is a fair coin.
    """
    n = broke + fixed
    if n == 0:
        return 1.0
    return float(binomtest(min(broke, fixed), n, 0.5).pvalue)


def bootstrap_diff(
    before: Sequence[bool], after: Sequence[bool], resamples: int = 2000, seed: int = 7
) -> tuple[float, float]:
    """Return a 95% paired-bootstrap interval on (after - before) pass rate."""
    if not before:
        return 0.0, 0.0
    a = np.asarray(before, dtype=float)
    b = np.asarray(after, dtype=float)
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(a), size=(resamples, len(a)))
    diffs = b[idx].mean(axis=1) - a[idx].mean(axis=1)
    low, high = np.percentile(diffs, [2.5, 97.5])
    return round(float(low), 4), round(float(high), 4)
