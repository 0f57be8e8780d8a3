"""Feature selection by correlation and mutual information, fitted on training rows only.

Drops (1) features whose mutual information with the label is below `mi_floor` nats (no usable
signal) and (2) the weaker of any numeric pair correlated at |r| >= `corr_cap` (redundant). It is
an option (`--select`) because on both reference datasets regularised models lose nothing by
keeping every column; the CV output reports what was dropped so the choice is visible.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.feature_selection import mutual_info_classif


@dataclass
class Selection:
    """Kept columns by type, and why the others were dropped."""

    numeric: list[str]
    categorical: list[str]
    dropped: dict[str, str] = field(default_factory=dict)
    mutual_information: dict[str, float] = field(default_factory=dict)


def select_features(
    X: pd.DataFrame,
    y: np.ndarray,
    numeric: Sequence[str],
    categorical: Sequence[str],
    *,
    mi_floor: float = 0.002,
    corr_cap: float = 0.95,
    seed: int = 0,
) -> Selection:
    """Choose features on training rows (call inside each CV fold to avoid selection bias)."""
    cols = [*numeric, *categorical]
    mat = np.column_stack(
        [
            X[c].astype(float).fillna(X[c].median()).to_numpy()
            if c in numeric
            else X[c].astype(str).astype("category").cat.codes.to_numpy()
            for c in cols
        ]
    )
    discrete = [c in categorical for c in cols]
    mi = mutual_info_classif(mat, y, discrete_features=discrete, random_state=seed)
    info = {c: float(v) for c, v in zip(cols, mi, strict=True)}
    dropped = {
        c: f"mutual information {info[c]:.4f} < {mi_floor}" for c in cols if info[c] < mi_floor
    }
    num = [c for c in numeric if c not in dropped]
    if len(num) >= 2:
        corr = X[num].astype(float).corr().abs()
        for i, a in enumerate(num):
            for b in num[i + 1 :]:
                if a in dropped or b in dropped or corr.loc[a, b] < corr_cap:
                    continue
                weaker = a if info[a] < info[b] else b
                dropped[weaker] = f"|corr| {corr.loc[a, b]:.2f} with {b if weaker == a else a}"
    kept_num = [c for c in numeric if c not in dropped]
    kept_cat = [c for c in categorical if c not in dropped]
    if not kept_num and not kept_cat:  # never select everything away
        return Selection(list(numeric), list(categorical), {}, info)
    return Selection(kept_num, kept_cat, dropped, info)
