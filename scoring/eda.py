"""Exploratory data analysis: an HTML report with plots and a JSON summary.

Beyond the usual views (missing values, distributions, correlations, target rates, mutual
information) it looks for the two faults that make a credit model lie: *leakage* (a column that
alone nearly determines the label, or is known to be set after the decision) and a
*near-deterministic rule* (a depth-2 tree that reproduces the label almost perfectly, as in the
seed file where Approved <=> credit_score > 750 and DTI < 40).
"""

from __future__ import annotations

import base64
import html
import io
import json
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.feature_selection import mutual_info_classif
from sklearn.metrics import roc_auc_score
from sklearn.tree import DecisionTreeClassifier
from tqdm import tqdm

from scoring.datasets import SEED_LEAKY, Dataset

LEAK_AUC = 0.95
_CSS = (
    "body{font-family:sans-serif;max-width:1100px;margin:auto}"
    "td,th{padding:2px 8px}img{max-width:100%}"
)
RULE_ACCURACY = 0.99


def _codes(s: pd.Series) -> np.ndarray:
    if pd.api.types.is_numeric_dtype(s):
        v = s.astype(float).to_numpy()
        return np.where(np.isnan(v), np.nanmedian(v) if np.isfinite(v).any() else 0.0, v)
    return np.asarray(s.astype(str).astype("category").cat.codes.to_numpy(), dtype=float)


def single_feature_auc(s: pd.Series, y: np.ndarray) -> float:
    """How well one column alone ranks the label (>= 0.5; categories via their target rate)."""
    if pd.api.types.is_numeric_dtype(s):
        v = _codes(s)
    else:
        rates = pd.Series(y).groupby(s.astype(str).to_numpy()).mean()
        v = s.astype(str).map(rates).to_numpy(dtype=float)
    auc = float(roc_auc_score(y, v))
    return max(auc, 1 - auc)


def find_rule(frame: pd.DataFrame, y: np.ndarray, columns: list[str]) -> dict[str, Any] | None:
    """Fit a depth-2 tree; if it reproduces the label almost perfectly, describe its rule."""
    num = [c for c in columns if pd.api.types.is_numeric_dtype(frame[c])]
    if not num:
        return None
    X = np.column_stack([_codes(frame[c]) for c in num])
    tree = DecisionTreeClassifier(max_depth=2, random_state=0).fit(X, y)
    acc = float(tree.score(X, y))
    if acc < RULE_ACCURACY:
        return {"found": False, "accuracy": round(acc, 4)}
    t = tree.tree_
    paths: list[str] = []
    negative: list[str] = []

    def walk(node: int, conds: list[str]) -> None:
        if t.children_left[node] == -1:
            target = paths if int(np.argmax(t.value[node][0])) == 1 else negative
            target.append(" and ".join(conds) or "always")
            return
        name, thr = num[t.feature[node]], float(t.threshold[node])
        walk(t.children_left[node], [*conds, f"{name} <= {thr:g}"])
        walk(t.children_right[node], [*conds, f"{name} > {thr:g}"])

    walk(0, [])
    used = sorted({num[f] for f in t.feature if f >= 0})
    return {
        "found": True,
        "accuracy": round(acc, 4),
        "features": used,
        "positive_when": paths,
        "negative_when": negative,
    }


def _fig_to_b64(fig: Any) -> str:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # long category labels: a cramped layout is fine
        fig.tight_layout()
    fig.savefig(buf, format="png", dpi=80)
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode()


def _plots(
    ds: Dataset, cols: list[str], mi: dict[str, float], rates: dict[str, dict[str, float]]
) -> dict[str, str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    f = ds.frame
    out: dict[str, str] = {}
    miss = f[cols].isna().mean()
    fig, ax = plt.subplots(figsize=(7, 3))
    ax.bar(range(len(cols)), miss.to_numpy())
    ax.set_xticks(range(len(cols)), cols, rotation=75, fontsize=7)
    ax.set(title="Missing values (share of rows)", ylim=(0, max(0.05, float(miss.max()) * 1.2)))
    out["missing"] = _fig_to_b64(fig)
    n = len(cols)
    ncol = 4
    fig, axes = plt.subplots(
        (n + ncol - 1) // ncol, ncol, figsize=(12, 2.3 * ((n + ncol - 1) // ncol))
    )
    for ax, c in zip(np.ravel(axes), cols, strict=False):
        if pd.api.types.is_numeric_dtype(f[c]):
            ax.hist(f[c].dropna(), bins=30, color="#3b6ea5")
        else:
            vc = f[c].astype(str).value_counts().head(8)
            ax.barh(vc.index[::-1], vc.to_numpy()[::-1], color="#3b6ea5")
            ax.tick_params(axis="y", labelsize=6)
        ax.set_title(c, fontsize=8)
    for ax in np.ravel(axes)[n:]:
        ax.axis("off")
    out["distributions"] = _fig_to_b64(fig)
    num = [c for c in cols if pd.api.types.is_numeric_dtype(f[c])]
    if len(num) >= 2:
        corr = f[num].corr().to_numpy()
        fig, ax = plt.subplots(figsize=(6, 5))
        im = ax.imshow(corr, cmap="coolwarm", vmin=-1, vmax=1)
        ax.set_xticks(range(len(num)), num, rotation=80, fontsize=6)
        ax.set_yticks(range(len(num)), num, fontsize=6)
        fig.colorbar(im)
        ax.set_title("Correlation (numeric)")
        out["correlations"] = _fig_to_b64(fig)
    items = sorted(mi.items(), key=lambda kv: kv[1])
    fig, ax = plt.subplots(figsize=(6, 0.28 * len(items) + 1))
    ax.barh([k for k, _ in items], [v for _, v in items], color="#5a9e6f")
    ax.set(title="Mutual information with the target (nats)")
    ax.tick_params(axis="y", labelsize=7)
    out["mutual_information"] = _fig_to_b64(fig)
    top = sorted(rates, key=lambda c: -(max(rates[c].values()) - min(rates[c].values())))[:8]
    fig, axes = plt.subplots(2, 4, figsize=(12, 5))
    for ax, c in zip(np.ravel(axes), top, strict=False):
        ax.bar(list(rates[c]), list(rates[c].values()), color="#c0504d")
        ax.set_title(c, fontsize=8)
        ax.tick_params(axis="x", labelsize=6, rotation=45)
    for ax in np.ravel(axes)[len(top) :]:
        ax.axis("off")
    fig.suptitle(f"Rate of '{ds.spec.positive}' by feature")
    out["target_rates"] = _fig_to_b64(fig)
    return out


def _target_rates(s: pd.Series, y: np.ndarray) -> dict[str, float]:
    if pd.api.types.is_numeric_dtype(s) and s.nunique() > 10:
        bins = pd.qcut(s.rank(method="first"), 5, labels=False)
        labels = (
            pd.qcut(s, 5, duplicates="drop").astype(str) if s.nunique() > 5 else bins.astype(str)
        )
        key = labels if len(set(labels)) == 5 else bins.astype(str)
    else:
        key = s.astype(str)
    return {
        str(k): round(float(v), 4) for k, v in pd.Series(y).groupby(key.to_numpy()).mean().items()
    }


def run_eda(ds: Dataset, out_dir: Path, progress: bool = True) -> dict[str, Any]:
    """Analyse the dataset; write `report.html` and `summary.json` into `out_dir`."""
    f, y = ds.frame, ds.y
    ids = [c for c, why in ds.dropped.items() if why == "identifier" or c.endswith("_id")]
    cols = [c for c in f.columns if c != ds.spec.target and c not in ids]
    steps = tqdm(total=5, desc="eda", disable=not progress)
    mi_vals = mutual_info_classif(
        np.column_stack([_codes(f[c]) for c in cols]),
        y,
        discrete_features=[not pd.api.types.is_numeric_dtype(f[c]) for c in cols],
        random_state=0,
    )
    mi = {c: round(float(v), 4) for c, v in zip(cols, mi_vals, strict=True)}
    steps.update(1)
    aucs = {c: round(single_feature_auc(f[c], y), 4) for c in cols}
    rates = {c: _target_rates(f[c], y) for c in cols}
    steps.update(1)
    notes: list[str] = []
    leaks = sorted(
        {c for c, a in aucs.items() if a >= LEAK_AUC}
        | {c for c in SEED_LEAKY if c in cols and ds.spec.target == "approval_status"}
    )
    for c in leaks:
        why = (
            "set after the decision (credit band / pricing)"
            if c in SEED_LEAKY
            else f"alone gives ROC-AUC {aucs[c]}"
        )
        if c in ds.dropped:
            notes.append(f"leakage: {c} {why}; excluded from the model")
        else:
            notes.append(f"dominant feature (check for leakage): {c} {why}")
    rule = find_rule(f, y, [c for c in cols if c not in ds.dropped])
    if rule and rule["found"]:
        notes.append(
            f"near-deterministic target: a depth-2 rule on {', '.join(rule['features'])} "
            f"reproduces {ds.spec.target} with accuracy {rule['accuracy']} "
            f"({ds.spec.positive} when {' or '.join(rule['positive_when'])}; "
            f"otherwise when {' or '.join(rule['negative_when'])}); "
            "a model will only relearn this rule"
        )
    steps.update(1)
    feats = f[cols]
    dup = int(feats.duplicated().sum())
    rounded = feats.apply(
        lambda s: (
            s.round(-int(np.floor(np.log10(max(abs(s).max(), 1)))) + 2)
            if pd.api.types.is_numeric_dtype(s)
            else s
        )
    )
    near_dup = int(rounded.duplicated().sum()) - dup
    if dup:
        notes.append(f"duplicates: {dup} rows repeat another row exactly")
    if near_dup > 0:
        notes.append(
            f"near-duplicates: {near_dup} rows match another after rounding numbers to 3 digits"
        )
    corr_pairs = []
    num = [c for c in cols if pd.api.types.is_numeric_dtype(f[c])]
    if len(num) >= 2:
        cm = f[num].corr().abs()
        for i, a in enumerate(num):
            for b in num[i + 1 :]:
                if cm.loc[a, b] >= 0.9:
                    corr_pairs.append({"a": a, "b": b, "abs_corr": round(float(cm.loc[a, b]), 3)})
                    notes.append(f"redundant: {a} and {b} correlate at {cm.loc[a, b]:.2f}")
    quality = {}
    for c in num:
        nonpos = int((f[c] <= 0).sum())
        if "income" in c and nonpos:
            quality[c] = f"{nonpos} values <= 0"
            notes.append(f"data quality: {c} has {nonpos} values <= 0")
    steps.update(1)
    summary: dict[str, Any] = {
        "rows": int(len(f)),
        "columns": int(f.shape[1]),
        "target": ds.spec.target,
        "positive": ds.spec.positive,
        "positive_rate": round(float(y.mean()), 4),
        "numeric": [c for c in cols if c in num],
        "categorical": [c for c in cols if c not in num],
        "missing": {c: int(f[c].isna().sum()) for c in cols if f[c].isna().any()},
        "mutual_information": dict(sorted(mi.items(), key=lambda kv: -kv[1])),
        "single_feature_auc": dict(sorted(aucs.items(), key=lambda kv: -kv[1])),
        "leakage": leaks,
        "near_deterministic_rule": rule,
        "duplicates": dup,
        "near_duplicates": max(near_dup, 0),
        "correlated_pairs": corr_pairs,
        "data_quality": quality,
        "excluded_from_model": ds.dropped,
        "protected": ds.protected,
        "target_rates": rates,
        "warnings": notes,
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    plots = _plots(ds, cols, mi, rates)
    steps.update(1)
    steps.close()
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=2))
    (out_dir / "report.html").write_text(_html(summary, plots))
    return summary


def _html(summary: dict[str, Any], plots: dict[str, str]) -> str:
    esc = html.escape
    warn = "".join(f"<li>{esc(w)}</li>" for w in summary["warnings"]) or "<li>none</li>"
    mi_rows = "".join(
        f"<tr><td>{esc(k)}</td><td>{v}</td><td>{summary['single_feature_auc'][k]}</td></tr>"
        for k, v in summary["mutual_information"].items()
    )
    imgs = "".join(
        f"<h2>{esc(name.replace('_', ' ').title())}</h2><img src='data:image/png;base64,{b64}'/>"
        for name, b64 in plots.items()
    )
    title = esc(summary["target"])
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>EDA — {title}</title>
<style>{_CSS}</style>
</head><body><h1>Exploratory data analysis</h1>
<p>{summary["rows"]} rows, {summary["columns"]} columns; target <b>{esc(summary["target"])}</b>,
positive <b>{esc(summary["positive"])}</b> at rate {summary["positive_rate"]}.</p>
<h2>Warnings</h2><ul>{warn}</ul>
<h2>Mutual information and single-feature ROC-AUC</h2>
<table><tr><th>feature</th><th>MI</th><th>AUC alone</th></tr>{mi_rows}</table>{imgs}
</body></html>"""
