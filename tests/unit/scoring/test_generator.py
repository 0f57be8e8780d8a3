from __future__ import annotations

import numpy as np

from scoring.generator import COLUMNS, generate


def test_schema_matches_seed_file_and_is_deterministic() -> None:
    a, b = generate(300, seed=5), generate(300, seed=5)
    assert list(a.columns) == COLUMNS and len(COLUMNS) == 21
    assert a.equals(b)
    assert not a.equals(generate(300, seed=6))


def test_default_process_is_noisy_but_learnable() -> None:
    d = generate(4000, seed=1)
    bad = (d.approval_status == "Rejected").to_numpy()
    assert 0.15 < bad.mean() < 0.45
    low = d.credit_score < d.credit_score.quantile(0.25)
    high = d.credit_score > d.credit_score.quantile(0.75)
    assert bad[low].mean() > bad[high].mean() + 0.15
    # unlike the seed file, no two-feature rule decides the label
    rule = (d.credit_score > 750) & (d.debt_to_income_ratio < 40)
    assert np.mean(rule.to_numpy() == ~bad) < 0.9


def test_leaky_columns_mirror_the_seed_construction() -> None:
    d = generate(500, seed=2)
    assert set(d.payment_history) <= {"Poor", "Fair", "Good"}
    assert (d.loc[d.payment_history == "Good", "credit_score"] > 750).all()
    assert (d.monthly_payment > 0).all() and d.interest_rate.between(3, 25).all()
