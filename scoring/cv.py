"""Cross-validation, grid search and model selection on one fixed set of stratified folds.

Every family and grid point sees exactly the same folds (one `StratifiedKFold(seed)` split, with
the encoder fitted inside each training fold), so their scores are paired and comparable. The
candidate soft-vote ensembles reuse the members' out-of-fold predictions: no extra fitting.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.model_selection import StratifiedKFold
from tqdm import tqdm

from scoring.estimators import GRIDS, make_estimator, positive_proba
from scoring.features import TabularEncoder
from scoring.selection import select_features


@dataclass
class Candidate:
    """One grid point or ensemble, with its per-fold scores and out-of-fold predictions."""

    name: str
    members: list[tuple[str, dict[str, Any]]]
    auc: list[float]
    brier: list[float]
    oof: np.ndarray

    @property
    def mean_auc(self) -> float:
        """Mean ROC-AUC over folds."""
        return float(np.mean(self.auc))


@dataclass
class CVResult:
    """Everything `cv` reports: per-family best grid point, ensembles and the selection."""

    folds: int
    seed: int
    candidates: list[Candidate]
    best_by_family: dict[str, Candidate]
    selected: Candidate
    grid: list[dict[str, Any]] = field(default_factory=list)
    selection: list[dict[str, str]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """JSON-ready summary (the `cv --json` object)."""
        models = {}
        for c in [
            *self.best_by_family.values(),
            *(c for c in self.candidates if c.name.startswith("ensemble")),
        ]:
            models[c.name] = {
                "roc_auc_mean": round(float(np.mean(c.auc)), 4),
                "roc_auc_sd": round(float(np.std(c.auc, ddof=1)), 4),
                "brier_mean": round(float(np.mean(c.brier)), 4),
                "brier_sd": round(float(np.std(c.brier, ddof=1)), 4),
                "members": [{"family": f, "params": _jsonable(p)} for f, p in c.members],
            }
        return {
            "folds": self.folds,
            "seed": self.seed,
            "models": models,
            "selected": self.selected.name,
            "selected_roc_auc_mean": round(self.selected.mean_auc, 4),
            "grid": self.grid,
            "feature_selection": self.selection or None,
        }


def _jsonable(p: dict[str, Any]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in p.items()}


def make_folds(y: np.ndarray, folds: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Return the one stratified split every model is scored on."""
    skf = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    return list(skf.split(np.zeros(len(y)), y))


def run_cv(
    X: pd.DataFrame,
    y: np.ndarray,
    numeric: Sequence[str],
    categorical: Sequence[str],
    *,
    folds: int = 5,
    seed: int = 42,
    families: Sequence[str] = ("lr", "rf", "xgb", "nn"),
    grids: dict[str, list[dict[str, Any]]] | None = None,
    max_ensemble: int = 4,
    progress: bool = True,
    select: bool = False,
) -> CVResult:
    """Grid-search every family on the same folds, build soft-vote ensembles, select the best.

    Selection is by mean ROC-AUC; an ensemble must beat the best single family to be chosen.
    """
    grids = grids or GRIDS
    splits = make_folds(y, folds, seed)
    encoded = []
    dropped_by_fold: list[dict[str, str]] = []
    for tr, va in splits:
        num, cat = list(numeric), list(categorical)
        if select:  # chosen on the training fold only, so CV scores stay honest
            chosen = select_features(X.iloc[tr], y[tr], numeric, categorical, seed=seed)
            num, cat = chosen.numeric, chosen.categorical
            dropped_by_fold.append(chosen.dropped)
        enc = TabularEncoder(num, cat).fit(X.iloc[tr])
        encoded.append((enc.transform(X.iloc[tr]), enc.transform(X.iloc[va])))
    jobs = [(f, p) for f in families for p in grids.get(f, [])]
    candidates: list[Candidate] = []
    bar = tqdm(total=len(jobs) * folds, desc="cv", unit="fit", disable=not progress)
    for family, params in jobs:
        oof = np.zeros(len(y))
        aucs, briers = [], []
        for (tr, va), (Ztr, Zva) in zip(splits, encoded, strict=True):
            est = make_estimator(family, params, seed)
            est.fit(Ztr, y[tr])
            p = positive_proba(est, Zva)
            oof[va] = p
            aucs.append(float(roc_auc_score(y[va], p)))
            briers.append(float(brier_score_loss(y[va], p)))
            bar.update(1)
        label = ",".join(f"{k}={v}" for k, v in params.items())
        candidates.append(Candidate(f"{family}[{label}]", [(family, params)], aucs, briers, oof))
    bar.close()
    best: dict[str, Candidate] = {}
    for c in candidates:
        fam = c.members[0][0]
        if fam not in best or c.mean_auc > best[fam].mean_auc:
            best[fam] = c
    named = {fam: Candidate(fam, c.members, c.auc, c.brier, c.oof) for fam, c in best.items()}
    ensembles = []
    ranked = sorted(named.values(), key=lambda c: -c.mean_auc)
    for k in range(2, min(max_ensemble, len(ranked)) + 1):
        for combo in itertools.combinations(ranked, k):
            oof = np.mean([c.oof for c in combo], axis=0)
            aucs = [float(roc_auc_score(y[va], oof[va])) for _, va in splits]
            briers = [float(brier_score_loss(y[va], oof[va])) for _, va in splits]
            members = [m for c in combo for m in c.members]
            name = "ensemble(" + "+".join(c.name for c in combo) + ")"
            ensembles.append(Candidate(name, members, aucs, briers, oof))
    pool = [*named.values(), *ensembles]
    selected = max(pool, key=lambda c: c.mean_auc)
    grid = [
        {
            "model": c.name,
            "roc_auc_mean": round(c.mean_auc, 4),
            "brier_mean": round(float(np.mean(c.brier)), 4),
        }
        for c in candidates
    ]
    return CVResult(folds, seed, [*candidates, *ensembles], named, selected, grid, dropped_by_fold)
