"""Input and score drift: population stability index and the KS test, reference vs recent.

PSI per feature is sum((a - e) * ln(a / e)) over bins, e the reference share and a the recent
share of a bin. Numeric bins are the reference deciles (edges from the reference only, so the
recent data cannot move them); categorical bins are the categories, with categories unseen in
the reference pooled into one bin. Empty bins get a floor share of 1e-4 so the log stays finite
(the convention of most credit-risk monitoring texts). Numeric features also get the two-sample
Kolmogorov-Smirnov statistic and p-value (scipy). The thresholds are the customary 0.1 (watch)
and 0.25 (act); they live in `core.alarms` with the other alarm rules.

PSI is a dozen lines of numpy; evidently / nannyml would bring a large dependency tree for it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from pydantic import BaseModel
from scipy.stats import ks_2samp

from core.alarms import PSI_ACT, PSI_WATCH

FLOOR = 1e-4
DRIFT_JSON = "drift.json"  # the file readers load; the plot beside it is for people
Level = Literal["ok", "watch", "act"]


class FeatureDrift(BaseModel):
    """Drift of one feature (or of the score)."""

    feature: str
    kind: Literal["numeric", "categorical"]
    psi: float
    ks_statistic: float | None = None
    ks_pvalue: float | None = None
    level: Level
    n_reference: int
    n_recent: int


class DriftReport(BaseModel):
    """Every feature's drift, worst first, and the overall level."""

    features: list[FeatureDrift]
    level: Level
    watch: float = PSI_WATCH
    act: float = PSI_ACT


def level_for(psi: float) -> Level:
    """Map a PSI to ok / watch / act by the alarm thresholds."""
    return "act" if psi >= PSI_ACT else "watch" if psi >= PSI_WATCH else "ok"


def psi_from_shares(expected: np.ndarray, actual: np.ndarray) -> float:
    """Return the PSI of two share vectors over the same bins (floored to stay finite)."""
    e = np.clip(np.asarray(expected, dtype=float), FLOOR, None)
    a = np.clip(np.asarray(actual, dtype=float), FLOOR, None)
    return float(np.sum((a - e) * np.log(a / e)))


def numeric_psi(reference: ArrayLike, recent: ArrayLike, bins: int = 10) -> float:
    """PSI over the reference's quantile bins (duplicate edges merged)."""
    ref = np.asarray(reference, dtype=float)
    cur = np.asarray(recent, dtype=float)
    ref, cur = ref[~np.isnan(ref)], cur[~np.isnan(cur)]
    edges = np.unique(np.quantile(ref, np.linspace(0, 1, bins + 1)[1:-1]))
    e = np.bincount(np.searchsorted(edges, ref, side="right"), minlength=len(edges) + 1)
    a = np.bincount(np.searchsorted(edges, cur, side="right"), minlength=len(edges) + 1)
    return psi_from_shares(e / e.sum(), a / a.sum())


def categorical_psi(reference: Sequence[object], recent: Sequence[object]) -> float:
    """PSI over the reference's categories plus one bin for categories it never saw."""
    ref = pd.Series(reference, dtype="object").astype(str)
    cur = pd.Series(recent, dtype="object").astype(str)
    cats = sorted(ref.unique())
    e = np.array([(ref == c).mean() for c in cats], dtype=float)
    a = np.array([(cur == c).mean() for c in cats], dtype=float)
    e = np.append(e, 0.0)
    a = np.append(a, float((~cur.isin(cats)).mean()))
    return psi_from_shares(e, a)


def feature_drift(
    name: str, reference: pd.Series, recent: pd.Series, *, categorical: bool
) -> FeatureDrift:
    """Return the drift of one column."""
    if categorical:
        psi = categorical_psi(reference.tolist(), recent.tolist())
        return FeatureDrift(feature=name, kind="categorical", psi=round(psi, 4),
                            level=level_for(psi), n_reference=len(reference),
                            n_recent=len(recent))  # fmt: skip
    ref = pd.to_numeric(reference, errors="coerce").dropna()
    cur = pd.to_numeric(recent, errors="coerce").dropna()
    psi = numeric_psi(ref.to_numpy(), cur.to_numpy())
    ks = ks_2samp(ref.to_numpy(), cur.to_numpy())
    return FeatureDrift(
        feature=name, kind="numeric", psi=round(psi, 4), ks_statistic=round(float(ks.statistic), 4),
        ks_pvalue=float(ks.pvalue), level=level_for(psi), n_reference=len(ref), n_recent=len(cur),
    )  # fmt: skip


def drift_report(
    reference: pd.DataFrame,
    recent: pd.DataFrame,
    numeric: Sequence[str],
    categorical: Sequence[str],
    scores: tuple[ArrayLike, ArrayLike] | None = None,
) -> DriftReport:
    """Compare `recent` rows with the `reference` (training) rows, feature by feature.

    `scores` optionally adds the score distribution as a feature named `score` (reference
    predictions, recent predictions).
    """
    out = [feature_drift(c, reference[c], recent[c], categorical=False)
           for c in numeric if c in recent]  # fmt: skip
    out += [feature_drift(c, reference[c], recent[c], categorical=True)
            for c in categorical if c in recent]  # fmt: skip
    if scores is not None:
        out.append(feature_drift("score", pd.Series(scores[0]), pd.Series(scores[1]),
                                 categorical=False))  # fmt: skip
    out.sort(key=lambda f: f.psi, reverse=True)
    worst = max((f.psi for f in out), default=0.0)
    return DriftReport(features=out, level=level_for(worst))


def load_drift_report(folder: Path) -> DriftReport | None:
    """Return the report `save_drift_report` wrote into `folder`, or None before the first."""
    path = folder / DRIFT_JSON
    return DriftReport.model_validate_json(path.read_text()) if path.is_file() else None


def max_psi(report: DriftReport) -> float:
    """Return the largest PSI of a report: the value the drift alarm rule compares."""
    return max((f.psi for f in report.features), default=0.0)


def save_drift_report(report: DriftReport, out_dir: Path) -> list[Path]:
    """Write drift.json and a PSI bar chart (drift_psi.png) with the two threshold lines."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir.mkdir(parents=True, exist_ok=True)
    js = out_dir / DRIFT_JSON
    js.write_text(json.dumps(report.model_dump(), indent=2))
    names = [f.feature for f in report.features][::-1]
    values = [f.psi for f in report.features][::-1]
    colours = {"ok": "#4c9a2a", "watch": "#e0a100", "act": "#c0392b"}
    fig, ax = plt.subplots(figsize=(7, 0.35 * len(names) + 1.5))
    ax.barh(names, values, color=[colours[level_for(v)] for v in values])
    ax.axvline(report.watch, ls="--", color="#e0a100", label=f"watch {report.watch}")
    ax.axvline(report.act, ls="--", color="#c0392b", label=f"act {report.act}")
    ax.set_xlabel("population stability index")
    ax.set_title(f"Drift vs training data (overall: {report.level})")
    ax.legend(loc="lower right")
    fig.tight_layout()
    png = out_dir / "drift_psi.png"
    fig.savefig(png, dpi=110)
    plt.close(fig)
    return [js, png]
