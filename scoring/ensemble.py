"""The fitted scoring model: encoder, weighted soft-vote members, calibration and threshold.

Everything the registry stores and the scoring hot path runs lives here. Contributions
(SHAP values) are computed per member and combined in probability space, where a weighted
average of members is additive, so the ensemble's attributions sum to its score minus its base.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from xgboost import DMatrix, XGBClassifier

from scoring.features import TabularEncoder
from scoring.nn import KerasMLPClassifier

# Built once per forest and kept beside it (not inside it, so pickles stay small).
_RF_EXPLAINERS: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()


@dataclass
class Member:
    """One fitted family in the ensemble."""

    family: str
    params: dict[str, Any]
    estimator: Any
    weight: float


@dataclass
class Calibrator:
    """Monotone map from raw ensemble probability to calibrated PD (isotonic or Platt)."""

    method: str  # "isotonic" | "sigmoid" | "none"
    x: np.ndarray = field(default_factory=lambda: np.zeros(0))
    y: np.ndarray = field(default_factory=lambda: np.zeros(0))
    a: float = 1.0
    b: float = 0.0

    def __call__(self, p: np.ndarray) -> np.ndarray:
        """Apply the map; output stays within [1e-4, 1 - 1e-4]."""
        if self.method == "isotonic":
            out = np.interp(p, self.x, self.y)
        elif self.method == "sigmoid":
            z = np.log(np.clip(p, 1e-6, 1 - 1e-6) / np.clip(1 - p, 1e-6, 1))
            out = 1.0 / (1.0 + np.exp(-(self.a * z + self.b)))
        else:
            out = p
        return np.asarray(np.clip(out, 1e-4, 1 - 1e-4), dtype=float)


def fit_calibrator(p: np.ndarray, y: np.ndarray, method: str) -> Calibrator:
    """Fit a calibrator on out-of-fold probabilities."""
    if method == "isotonic":
        from sklearn.isotonic import IsotonicRegression

        iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(p, y)
        return Calibrator("isotonic", np.asarray(iso.X_thresholds_), np.asarray(iso.y_thresholds_))
    if method == "sigmoid":
        z = np.log(np.clip(p, 1e-6, 1 - 1e-6) / np.clip(1 - p, 1e-6, 1)).reshape(-1, 1)
        lr = LogisticRegression(C=1e6, max_iter=1000).fit(z, y)
        return Calibrator("sigmoid", a=float(lr.coef_[0, 0]), b=float(lr.intercept_[0]))
    return Calibrator("none")


@dataclass
class FittedModel:
    """A trained scoring model ready to predict and explain."""

    encoder: TabularEncoder
    members: list[Member]
    calibrator: Calibrator
    threshold: float
    background: np.ndarray  # mean encoded training row (baseline for linear/occlusion SHAP)

    @property
    def features(self) -> list[str]:
        """Raw input columns the model reads."""
        return [*self.encoder.numeric, *self.encoder.categorical]

    @property
    def uses_tensorflow(self) -> bool:
        """Whether any member was trained with TensorFlow (prediction itself is numpy)."""
        return any(m.family == "nn" for m in self.members)

    def raw_proba(self, Z: np.ndarray) -> np.ndarray:
        """Uncalibrated soft-vote probability for encoded rows."""
        total = np.zeros(Z.shape[0])
        for m in self.members:
            total += m.weight * _member_proba(m.estimator, Z)
        return total

    def predict_pd(self, Z: np.ndarray) -> np.ndarray:
        """Calibrated probability of default for encoded rows."""
        return self.calibrator(self.raw_proba(Z))

    def explain(self, Z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Uncalibrated ensemble probability and per-encoded-column SHAP values, in one pass.

        The linear, boosted and MLP members' probabilities fall out of their attributions, so
        explaining costs no separate prediction for them.
        """
        total = np.zeros_like(Z)
        proba = np.zeros(Z.shape[0])
        for m in self.members:
            phi, p = _member_shap_proba(m.estimator, Z, self.background)
            total += m.weight * phi
            proba += m.weight * p
        return proba, total

    def contributions(self, Z: np.ndarray) -> np.ndarray:
        """SHAP values per encoded column of the uncalibrated ensemble probability."""
        return self.explain(Z)[1]

    def raw_contributions(self, Z: np.ndarray) -> np.ndarray:
        """SHAP values summed back onto raw input columns, shape (n, n_features)."""
        return self.to_raw(self.contributions(Z))

    def to_raw(self, enc: np.ndarray) -> np.ndarray:
        """Sum encoded-column attributions back onto their raw input columns."""
        src = self.encoder.output_source_
        names = self.features
        out = np.zeros((enc.shape[0], len(names)))
        pos = {n: i for i, n in enumerate(names)}
        for j, s in enumerate(src):
            out[:, pos[s]] += enc[:, j]
        return out


def _member_proba(est: Any, Z: np.ndarray) -> np.ndarray:
    if isinstance(est, XGBClassifier):
        # inplace_predict skips DMatrix construction: the cheapest call for small batches.
        return np.asarray(est.get_booster().inplace_predict(Z), dtype=float)
    if isinstance(est, LogisticRegression):
        z = Z @ est.coef_[0] + est.intercept_[0]
        return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=float)
    if isinstance(est, RandomForestClassifier) and len(Z) <= 8:
        # For a few rows, walking the trees directly skips joblib's per-call set-up (~10 ms).
        Zf = Z.astype(np.float32)
        votes = np.mean([tree.tree_.predict(Zf) for tree in est.estimators_], axis=0)
        votes = votes.reshape(len(Z), -1)  # (n, classes); trees store class fractions
        return np.asarray(votes[:, 1] / votes.sum(axis=1), dtype=float)
    return np.asarray(est.predict_proba(Z)[:, 1], dtype=float)


def _logit_to_proba_space(
    phi: np.ndarray, logit_diff: np.ndarray, p: np.ndarray, p0: np.ndarray
) -> np.ndarray:
    """Rescale log-odds attributions by the sigmoid's secant slope (p - p0) / (f - f0).

    The slope is never negative, so signs and ranking are kept; when the attributions sum to
    f - f0 (exact SHAP: linear, TreeSHAP) the result sums to p - p0.
    """
    safe = np.where(np.abs(logit_diff) > 1e-9, logit_diff, 1.0)
    slope = np.where(np.abs(logit_diff) > 1e-9, (p - p0) / safe, p * (1 - p))
    return np.asarray(phi * slope[:, None], dtype=float)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=float)


def _member_shap_proba(
    est: Any, Z: np.ndarray, background: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Return (attributions in probability points, member probability) for encoded rows."""
    if isinstance(est, LogisticRegression):
        w = est.coef_[0]
        phi = (Z - background) * w  # exact SHAP for a linear model with independent inputs
        f0 = float(background @ w + est.intercept_[0])
        s = phi.sum(axis=1)
        p = _sigmoid(f0 + s)
        return _logit_to_proba_space(phi, s, p, np.full(len(Z), _sigmoid(np.array(f0)))), p
    if isinstance(est, XGBClassifier):
        contrib = est.get_booster().predict(
            DMatrix(Z, nthread=1 if len(Z) <= 8 else -1), pred_contribs=True
        )  # TreeSHAP, log-odds
        phi, bias = contrib[:, :-1], contrib[:, -1]
        s = phi.sum(axis=1)  # bias + s is the margin, so the probability comes for free
        p = _sigmoid(bias + s)
        return _logit_to_proba_space(phi, s, p, _sigmoid(bias)), p
    if isinstance(est, RandomForestClassifier):
        return _rf_shap(est, Z), _member_proba(est, Z)
    if isinstance(est, KerasMLPClassifier):
        return _occlusion(est, Z, background), _sigmoid(est.decision_function(Z))
    raise TypeError(f"no explainer for {type(est).__name__}")


def _rf_shap(est: RandomForestClassifier, Z: np.ndarray) -> np.ndarray:
    import shap

    explainer = _RF_EXPLAINERS.get(est)
    if explainer is None:
        explainer = shap.TreeExplainer(est)
        _RF_EXPLAINERS[est] = explainer
    vals = explainer.shap_values(Z, check_additivity=False)
    arr = np.asarray(vals)
    if arr.ndim == 3:  # (n, k, classes) in recent shap
        arr = arr[:, :, 1]
    return arr


def _occlusion(est: Any, Z: np.ndarray, background: np.ndarray) -> np.ndarray:
    """One-at-a-time occlusion in log-odds: a cheap, deterministic attribution for the MLP.

    All n x k occluded copies go through one batched forward pass (one matmul per layer).
    """
    n, k = Z.shape
    base = est.decision_function(Z)
    batch = np.repeat(Z[:, None, :], k, axis=1)  # (n, k, k): copy j has column j occluded
    idx = np.arange(k)
    batch[:, idx, idx] = background
    occluded = est.decision_function(batch.reshape(n * k, k)).reshape(n, k)
    out = base[:, None] - occluded
    f0 = est.decision_function(background[None, :])[0]
    return _logit_to_proba_space(out, base - f0, _sigmoid(base), np.full(n, _sigmoid(np.array(f0))))
