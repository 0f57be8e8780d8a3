"""Model families and their search grids, all fitted on the encoded matrix.

Families: logistic regression (lr), random forest (rf), XGBoost (xgb) and a Keras MLP (nn).
Grids are small on purpose: the CV budget on 2 cores is minutes, not hours.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from xgboost import XGBClassifier

from scoring.nn import KerasMLPClassifier

FAMILIES = ("lr", "rf", "xgb", "nn")
FAST_FAMILIES = ("lr", "xgb")

GRIDS: dict[str, list[dict[str, Any]]] = {
    "lr": [{"C": c} for c in (0.03, 0.1, 0.3, 1.0)],
    # Depth-capped forests: as accurate here as deep ones, and TreeSHAP cost grows with depth²,
    # which keeps per-applicant explanations in the low milliseconds.
    "rf": [
        {"min_samples_leaf": 3, "max_depth": 8},
        {"min_samples_leaf": 5, "max_depth": 6},
        {"min_samples_leaf": 2, "max_depth": 10, "max_features": 0.3},
    ],
    "xgb": [
        {"max_depth": 2, "learning_rate": 0.03, "n_estimators": 600},
        {"max_depth": 2, "learning_rate": 0.01, "n_estimators": 1500, "colsample_bytree": 0.3},
        {
            "max_depth": 3,
            "learning_rate": 0.01,
            "n_estimators": 1000,
            "colsample_bytree": 0.3,
            "min_child_weight": 2,
        },
    ],
    "nn": [
        {"hidden": (32, 16), "epochs": 60},
        {"hidden": (64, 32), "epochs": 60, "dropout": 0.3},
    ],
}

# One small grid point per family for the bootstrap model trained by `loan-advisor prepare`.
FAST_GRIDS: dict[str, list[dict[str, Any]]] = {
    "lr": [{"C": 0.3}],
    "xgb": [{"max_depth": 4, "learning_rate": 0.08, "n_estimators": 250, "min_child_weight": 5}],
}


def make_estimator(family: str, params: dict[str, Any], seed: int, n_jobs: int = 2) -> Any:
    """Build an unfitted estimator of `family` with grid `params`."""
    if family == "lr":
        return LogisticRegression(max_iter=3000, **params)
    if family == "rf":
        rf_defaults: dict[str, Any] = {"n_estimators": 100, "max_features": "sqrt"}
        return RandomForestClassifier(**{**rf_defaults, **params}, n_jobs=n_jobs, random_state=seed)
    if family == "xgb":
        defaults: dict[str, Any] = {"subsample": 0.8, "colsample_bytree": 0.5}
        return XGBClassifier(
            **{**defaults, **params}, n_jobs=n_jobs, random_state=seed, eval_metric="logloss"
        )
    if family == "nn":
        return KerasMLPClassifier(seed=seed, **params)
    raise ValueError(f"unknown model family {family!r} (choose from {', '.join(FAMILIES)})")


def positive_proba(estimator: Any, X: np.ndarray) -> np.ndarray:
    """Return P(positive) for each row."""
    return np.asarray(estimator.predict_proba(X)[:, 1], dtype=float)


def for_single_rows(estimator: Any) -> Any:
    """Switch an estimator to one thread: thread start-up dominates one-row predictions."""
    if isinstance(estimator, XGBClassifier):
        estimator.set_params(n_jobs=1)
        estimator.get_booster().set_param({"nthread": 1})
    elif isinstance(estimator, RandomForestClassifier):
        estimator.set_params(n_jobs=1)
    return estimator
