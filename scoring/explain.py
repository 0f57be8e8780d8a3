"""Global explanations: mean |SHAP| per input feature and its bar chart.

Per-applicant explanations come from `FittedModel.raw_contributions` (TreeSHAP via xgboost for
boosted trees, shap.TreeExplainer for forests, exact linear SHAP for logistic regression,
occlusion for the MLP); this module aggregates them over a sample.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from scoring.ensemble import FittedModel


def global_importance(
    model: FittedModel, Z: np.ndarray, max_rows: int = 500, seed: int = 0
) -> dict[str, float]:
    """Mean |SHAP| per raw feature over up to `max_rows` encoded rows, largest first."""
    if len(Z) > max_rows:
        Z = Z[np.random.default_rng(seed).choice(len(Z), max_rows, replace=False)]
    vals = np.abs(model.raw_contributions(Z)).mean(axis=0)
    pairs = sorted(zip(model.features, vals, strict=True), key=lambda kv: -kv[1])
    return {k: round(float(v), 6) for k, v in pairs}


def save_importance_plot(importance: dict[str, float], path: Path, top: int = 15) -> None:
    """Write a horizontal bar chart of the top features' mean |SHAP|."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    items = list(importance.items())[:top][::-1]
    fig, ax = plt.subplots(figsize=(6, 0.35 * len(items) + 1.2))
    ax.barh([k for k, _ in items], [v for _, v in items], color="#3b6ea5")
    ax.set(xlabel="mean |SHAP| (probability points)", title="Global feature importance")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=90)
    plt.close(fig)
