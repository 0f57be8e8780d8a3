"""Credit-scoring figures: German Credit CV (AUC, wall time) and single-applicant latency.

1. Full `cv` (all four families, grid search, ensembles) on German Credit, 5-fold, seed 42:
   the selected model's mean ROC-AUC (target >= 0.80) and wall time (target < 5 min on 2 cores).
2. Train + register that model in a temporary registry, load it, and time one-row scoring
   in-process: score p50 (target < 2 ms) and score + SHAP reasons p50 (target < 5 ms).
Skips cleanly when ../shared/data/german_credit.csv is absent. Ends with one JSON line.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scoring.cv import run_cv  # noqa: E402
from scoring.datasets import DatasetSpec, load_dataset  # noqa: E402
from scoring.registry import load_model, register  # noqa: E402
from scoring.training import TrainConfig, train  # noqa: E402

GERMAN = ROOT.parent / "shared" / "data" / "german_credit.csv"


def _p50_ms(
    fn: Callable[[dict[str, Any]], object], rows: list[dict[str, Any]], repeats: int = 400
) -> tuple[float, float]:
    for r in rows[:20]:
        fn(r)  # warm caches (explainers, xgboost predictors)
    ts = []
    for i in range(repeats):
        row = rows[i % len(rows)]
        t0 = time.perf_counter()
        fn(row)
        ts.append(time.perf_counter() - t0)
    a = np.array(ts) * 1e3
    return float(np.percentile(a, 50)), float(np.percentile(a, 95))


def main() -> None:
    if not GERMAN.is_file():
        print(f"skip: {GERMAN} not found")
        print(json.dumps({"bench": "scoring", "skipped": True}))
        return
    spec = DatasetSpec("creditability", "bad")
    ds = load_dataset(GERMAN, spec)
    t0 = time.perf_counter()
    cv = run_cv(ds.X, ds.y, ds.numeric, ds.categorical, folds=5, seed=42, progress=False)
    cv_seconds = time.perf_counter() - t0
    summary = cv.summary()
    for name, m in summary["models"].items():
        print(
            f"{name:40s} ROC-AUC {m['roc_auc_mean']:.4f} ± {m['roc_auc_sd']:.4f}  "
            f"Brier {m['brier_mean']:.4f}"
        )
    print(f"selected: {summary['selected']}  mean ROC-AUC {summary['selected_roc_auc_mean']}")
    print(f"full cv wall time: {cv_seconds:.1f} s")

    t1 = time.perf_counter()
    outcome = train(ds, TrainConfig(folds=5, seed=42, progress=False))
    train_seconds = time.perf_counter() - t1
    with tempfile.TemporaryDirectory() as tmp:
        model_id = register(outcome, ds, Path(tmp))
        model = load_model(Path(tmp), model_id)
        rows: list[dict[str, Any]] = ds.X.iloc[:200].to_dict("records")
        score_p50, score_p95 = _p50_ms(lambda r: model.score([r]), rows)
        explain_p50, explain_p95 = _p50_ms(lambda r: model.score([r], explain=True), rows)
    print(
        f"train (cv on 80% + refit + test): {train_seconds:.1f} s, test metrics {outcome.metrics}"
    )
    print(f"trained model: {outcome.cv.selected.name}")
    print(f"single-applicant score p50 {score_p50:.3f} ms (p95 {score_p95:.3f})")
    print(f"score + SHAP reasons p50 {explain_p50:.3f} ms (p95 {explain_p95:.3f})")
    print(
        json.dumps(
            {
                "bench": "scoring",
                "german_cv_selected": summary["selected"],
                "german_cv_roc_auc_mean": summary["selected_roc_auc_mean"],
                "german_cv_roc_auc_sd": summary["models"][summary["selected"]]["roc_auc_sd"],
                "german_cv_seconds": round(cv_seconds, 1),
                "german_test_roc_auc": outcome.metrics["roc_auc"],
                "score_p50_ms": round(score_p50, 3),
                "score_p95_ms": round(score_p95, 3),
                "score_explain_p50_ms": round(explain_p50, 3),
                "score_explain_p95_ms": round(explain_p95, 3),
                "targets": {
                    "roc_auc": 0.80,
                    "cv_seconds": 300,
                    "score_p50_ms": 2,
                    "explain_p50_ms": 5,
                },
            }
        )
    )


if __name__ == "__main__":
    main()
