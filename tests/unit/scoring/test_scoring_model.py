from __future__ import annotations

import numpy as np
import pytest

from core.errors import ValidationFailed
from scoring.datasets import Dataset
from scoring.model import LoadedModel, top_reasons


def test_score_returns_calibrated_pd_tier_and_version(
    champion: LoadedModel, small_dataset: Dataset
) -> None:
    rows = small_dataset.X.iloc[:20].to_dict("records")
    results = champion.score(rows)
    assert len(results) == 20
    for r in results:
        assert 0 < r.probability_of_default < 1
        assert r.model_version == champion.model_id
        assert r.reasons is None and r.contributions is None
        assert r.decision == (
            "decline" if r.probability_of_default >= champion.threshold else "approve"
        )
    batch = champion.model.predict_pd(champion.model.encoder.transform(small_dataset.X.iloc[:20]))
    np.testing.assert_allclose([r.probability_of_default for r in results], batch, atol=1e-9)
    explained = champion.score(rows, explain=True)  # PD derived from the attributions: same value
    np.testing.assert_allclose([r.probability_of_default for r in explained], batch, atol=1e-6)


def test_risky_applicant_scores_worse_than_safe_one(
    champion: LoadedModel, small_dataset: Dataset
) -> None:
    base = small_dataset.X.iloc[0].to_dict()
    safe = {**base, "credit_score": 820, "debt_to_income_ratio": 10, "savings_balance": 90_000,
            "employment_status": "Employed", "existing_loans": 0}  # fmt: skip
    risky = {**base, "credit_score": 540, "debt_to_income_ratio": 58, "savings_balance": 300,
             "employment_status": "Unemployed", "existing_loans": 6}  # fmt: skip
    s, r = champion.score([safe, risky], explain=True)
    assert r.probability_of_default > s.probability_of_default
    assert r.reasons and len(r.reasons) <= 4
    features = [x.feature for x in r.reasons]
    assert "credit_score" in features
    assert all(x.contribution > 0 for x in r.reasons)
    assert r.contributions is not None and set(r.contributions) == set(champion.features)


def test_contributions_add_up_to_score_minus_base(
    champion: LoadedModel, small_dataset: Dataset
) -> None:
    model = champion.model
    Z = model.encoder.transform(small_dataset.X.iloc[:10])
    raw = model.raw_proba(Z)
    contrib = model.raw_contributions(Z).sum(axis=1)
    base = raw - contrib
    # additivity: base value is the same for every row (the expected ensemble output)
    assert np.ptp(base) < 1e-6


def test_missing_features_are_imputed_and_empty_input_rejected(champion: LoadedModel) -> None:
    (r,) = champion.score([{"credit_score": 700}])
    assert 0 < r.probability_of_default < 1
    with pytest.raises(ValidationFailed):
        champion.score([])


def test_top_reasons_are_positive_ordered_and_deduplicated() -> None:
    names = [
        "credit_score",
        "requested_loan_amount",
        "loan_to_income",
        "savings_balance",
        "x_col",
        "age_z",
    ]
    vals = np.array([0.05, 0.04, 0.03, -0.02, 0.01, 0.001])
    reasons = top_reasons(vals, names)
    assert [r.feature for r in reasons] == [
        "credit_score",
        "requested_loan_amount",
        "x_col",
        "age_z",
    ]
    assert reasons[0].code == "R01" and reasons[0].actionable
    assert reasons[2].code == "R99" and not reasons[2].actionable


def test_single_row_forest_path_matches_sklearn() -> None:
    from sklearn.ensemble import RandomForestClassifier

    from scoring.ensemble import _member_proba

    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 5))
    y = (X[:, 0] > 0).astype(int)
    rf = RandomForestClassifier(20, min_samples_leaf=3, random_state=0).fit(X, y)
    np.testing.assert_allclose(_member_proba(rf, X[:3]), rf.predict_proba(X[:3])[:, 1], atol=1e-6)
