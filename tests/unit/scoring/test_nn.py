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
