import pytest

from evals.stats import bootstrap_diff, mcnemar_exact, wilson


def test_wilson_interval_brackets_the_rate():
    low, high = wilson(8, 10)
    assert low < 0.8 < high
    assert wilson(0, 0) == (0.0, 1.0)
    assert wilson(10, 10)[1] == 1.0


def test_exact_mcnemar_matches_the_binomial():
    assert mcnemar_exact(0, 0) == 1.0
    # 6 broke, 0 fixed: two-sided p = 2 * 0.5**6
    assert mcnemar_exact(6, 0) == pytest.approx(2 * 0.5**6)
    assert mcnemar_exact(3, 3) == pytest.approx(1.0)
    assert mcnemar_exact(10, 1) < 0.05 < mcnemar_exact(3, 1)


def test_bootstrap_interval_of_a_paired_difference():
    before = [True] * 20
    after = [True] * 10 + [False] * 10
    low, high = bootstrap_diff(before, after)
    assert low < -0.5 < high < 0
    assert bootstrap_diff(before, before) == (0.0, 0.0)
