from __future__ import annotations

import numpy as np
from sklearn.metrics import roc_auc_score

from scoring.nn import KerasMLPClassifier


def test_trains_with_keras_and_predicts_in_numpy() -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 4))
    y = (X[:, 0] + 0.5 * X[:, 1] + rng.normal(0, 0.5, 300) > 0).astype(int)
    clf = KerasMLPClassifier(hidden=(8,), epochs=40, seed=1).fit(X, y)
    p = clf.predict_proba(X)
    assert p.shape == (300, 2) and np.allclose(p.sum(axis=1), 1)
    assert roc_auc_score(y, p[:, 1]) > 0.85
    assert [w.shape for w, _ in clf.weights_] == [(4, 8), (8, 1)]


def test_batched_occlusion_equals_one_column_at_a_time() -> None:
    from scoring.ensemble import _occlusion

    rng = np.random.default_rng(1)
    clf = KerasMLPClassifier(hidden=(6,))
    clf.weights_ = [
        (rng.normal(size=(5, 6)), rng.normal(size=6)),
        (rng.normal(size=(6, 1)), rng.normal(size=1)),
    ]
    clf.prior_shift_ = 0.0
    Z, bg = rng.normal(size=(3, 5)), rng.normal(size=5)
    base = clf.decision_function(Z)
    loop = np.zeros_like(Z)
    for j in range(5):
        Zj = Z.copy()
        Zj[:, j] = bg[j]
        loop[:, j] = base - clf.decision_function(Zj)
    out = _occlusion(clf, Z, bg)
    # same attribution up to the per-row sigmoid slope into probability points: signs and order kept
    ratio = out / loop
    np.testing.assert_allclose(ratio, ratio[:, :1].repeat(5, axis=1), rtol=1e-9)
    f0 = clf.decision_function(bg[None, :])[0]
    slope = (1 / (1 + np.exp(-base)) - 1 / (1 + np.exp(-f0))) / (base - f0)
    np.testing.assert_allclose(ratio[:, 0], slope, rtol=1e-9)
    assert (slope > 0).all()
