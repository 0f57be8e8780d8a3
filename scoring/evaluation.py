"""Test-split metrics, a cost-based decision threshold and the ROC / PR / calibration plots."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    brier_score_loss,
    f1_score,
    precision_recall_curve,
    precision_score,
    recall_score,
    roc_auc_score,
    roc_curve,
)


def choose_threshold(pd_: np.ndarray, y: np.ndarray, cost_ratio: float) -> float:
    """Pick the PD cut-off minimising cost on validation data.

    `cost_ratio` = cost of approving a default (false negative) / cost of declining a good
    applicant (false positive). With calibrated PDs the Bayes cut-off is 1 / (1 + ratio); we search
    the empirical minimum near it so miscalibration does not silently move the decision.
    """
    grid = np.unique(np.concatenate([np.linspace(0.01, 0.99, 99), [1.0 / (1.0 + cost_ratio)]]))
    costs = [
        cost_ratio * np.sum((pd_ < t) & (y == 1)) + np.sum((pd_ >= t) & (y == 0)) for t in grid
    ]
    return float(grid[int(np.argmin(costs))])


def classification_metrics(y: np.ndarray, pd_: np.ndarray, threshold: float) -> dict[str, float]:
    """Accuracy, precision, recall, F1 at the threshold; ROC-AUC, PR-AUC and Brier on the PDs."""
    pred = (pd_ >= threshold).astype(int)
    return {
        "accuracy": round(float(accuracy_score(y, pred)), 4),
        "precision": round(float(precision_score(y, pred, zero_division=0)), 4),
        "recall": round(float(recall_score(y, pred, zero_division=0)), 4),
        "f1": round(float(f1_score(y, pred, zero_division=0)), 4),
        "roc_auc": round(float(roc_auc_score(y, pd_)), 4),
        "pr_auc": round(float(average_precision_score(y, pd_)), 4),
        "brier": round(float(brier_score_loss(y, pd_)), 4),
        "threshold": round(threshold, 4),
        "n": int(len(y)),
        "positive_rate": round(float(np.mean(y)), 4),
    }


def save_plots(y: np.ndarray, pd_: np.ndarray, out_dir: Path) -> list[str]:
    """Write roc.png, pr.png and calibration.png; return the file names."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir.mkdir(parents=True, exist_ok=True)
    fpr, tpr, _ = roc_curve(y, pd_)
    prec, rec, _ = precision_recall_curve(y, pd_)
    bins = np.linspace(0, 1, 11)
    idx = np.clip(np.digitize(pd_, bins) - 1, 0, 9)
    mean_pred = [pd_[idx == b].mean() for b in range(10) if np.any(idx == b)]
    frac_pos = [y[idx == b].mean() for b in range(10) if np.any(idx == b)]
    figures = {
        "roc.png": (fpr, tpr, "False positive rate", "True positive rate", "ROC curve"),
        "pr.png": (rec, prec, "Recall", "Precision", "Precision-recall curve"),
        "calibration.png": (
            mean_pred,
            frac_pos,
            "Mean predicted PD",
            "Observed default rate",
            "Calibration",
        ),
    }
    for name, (xs, ys, xl, yl, title) in figures.items():
        fig, ax = plt.subplots(figsize=(4.5, 4))
        ax.plot(xs, ys, marker="o" if name == "calibration.png" else None)
        if name != "pr.png":
            ax.plot([0, 1], [0, 1], linestyle="--", color="grey")
        ax.set(xlabel=xl, ylabel=yl, title=title)
        fig.tight_layout()
        fig.savefig(out_dir / name, dpi=90)
        plt.close(fig)
    return list(figures)
