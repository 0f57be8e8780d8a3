"""Train the selected model: CV on the training split, calibrate, set the threshold, test.

Flow: stratified 80/20 split -> `run_cv` on the 80% (grid search + ensembles on shared folds) ->
the selected candidate's out-of-fold predictions fit the calibrator and choose the cost-based
threshold (no data is reused for both fitting and judging) -> members refit on the whole 80% ->
metrics and plots on the untouched 20%.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.model_selection import train_test_split
from tqdm import tqdm

from scoring.cv import CVResult, run_cv
from scoring.datasets import Dataset
from scoring.ensemble import FittedModel, Member, fit_calibrator
from scoring.estimators import FAMILIES, make_estimator
from scoring.evaluation import choose_threshold, classification_metrics
from scoring.features import TabularEncoder
from scoring.selection import select_features


@dataclass
class TrainConfig:
    """Knobs for one training run (the CLI's options)."""

    folds: int = 5
    seed: int = 42
    families: Sequence[str] = FAMILIES
    grids: dict[str, list[dict[str, Any]]] | None = None
    cost_ratio: float = 5.0
    test_size: float = 0.2
    calibration: str = "auto"  # auto | isotonic | sigmoid | none
    select: bool = False  # MI / correlation feature selection (scoring/selection.py)
    progress: bool = True


@dataclass
class TrainOutcome:
    """A fitted model plus the evidence the registry stores beside it."""

    model: FittedModel
    cv: CVResult
    metrics: dict[str, float]
    test_y: np.ndarray
    test_pd: np.ndarray
    test_index: np.ndarray
    config: TrainConfig


def train(ds: Dataset, cfg: TrainConfig) -> TrainOutcome:
    """Run the full training flow on a validated dataset (see module docstring)."""
    idx = np.arange(len(ds.y))
    tr, te = train_test_split(idx, test_size=cfg.test_size, stratify=ds.y, random_state=cfg.seed)
    Xtr, ytr = ds.X.iloc[tr].reset_index(drop=True), ds.y[tr]
    numeric, categorical = ds.numeric, ds.categorical
    if cfg.select:
        kept = select_features(Xtr, ytr, ds.numeric, ds.categorical, seed=cfg.seed)
        numeric, categorical = kept.numeric, kept.categorical
    cv = run_cv(
        Xtr,
        ytr,
        ds.numeric,
        ds.categorical,
        folds=cfg.folds,
        seed=cfg.seed,
        families=cfg.families,
        grids=cfg.grids,
        progress=cfg.progress,
        select=cfg.select,
    )
    method = cfg.calibration
    if method == "auto":
        method = "isotonic" if len(ytr) >= 5000 else "sigmoid"
    calibrator = fit_calibrator(cv.selected.oof, ytr, method)
    threshold = choose_threshold(calibrator(cv.selected.oof), ytr, cfg.cost_ratio)
    encoder = TabularEncoder(numeric, categorical).fit(Xtr)
    Ztr = encoder.transform(Xtr)
    members = []
    chosen = cv.selected.members
    for family, params in tqdm(chosen, desc="refit", unit="model", disable=not cfg.progress):
        est = make_estimator(family, params, cfg.seed)
        est.fit(Ztr, ytr)
        members.append(Member(family, params, est, 1.0 / len(chosen)))
    model = FittedModel(encoder, members, calibrator, threshold, Ztr.mean(axis=0))
    Zte = encoder.transform(ds.X.iloc[te])
    test_pd = model.predict_pd(Zte)
    metrics = classification_metrics(ds.y[te], test_pd, threshold)
    return TrainOutcome(model, cv, metrics, ds.y[te], test_pd, te, cfg)
