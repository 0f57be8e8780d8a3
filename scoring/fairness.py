"""Fairness report with fairlearn: approval rates and AUC by age band and protected attribute.

Protected attributes are excluded from the model by default (see `datasets.DatasetSpec`); they
are used here only to audit outcomes, and the report states which were excluded.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from fairlearn.metrics import MetricFrame, selection_rate
from sklearn.metrics import roc_auc_score

AGE_BANDS = [0, 25, 35, 50, 65, 200]
AGE_LABELS = ["<25", "25-34", "35-49", "50-64", "65+"]


def _auc(y: Any, s: Any) -> float:
    y = np.asarray(y)
    return float(roc_auc_score(y, s)) if len(np.unique(y)) == 2 else float("nan")


def _age_column(frame: pd.DataFrame) -> str | None:
    for col in frame.columns:
        name = str(col).lower()
        if (name == "age" or name.startswith("age_")) and pd.api.types.is_numeric_dtype(frame[col]):
            return str(col)
    return None


def fairness_report(
    frame: pd.DataFrame,
    y: np.ndarray,
    pd_: np.ndarray,
    threshold: float,
    protected: list[str],
    excluded: list[str],
) -> dict[str, Any]:
    """Compare approval rate (PD below threshold) and ROC-AUC across groups.

    Args:
        frame: raw rows of the evaluated split (with protected columns).
        y: 1 = default.
        pd_: predicted probabilities of default.
        threshold: decision cut-off.
        protected: protected columns present in the data.
        excluded: protected columns that were not model inputs.

    Returns:
        Per attribute: group rows (n, approval_rate, auc), the approval-rate ratio (min/max,
        the four-fifths rule flags < 0.8) and the AUC gap.
    """
    approved = (pd_ < threshold).astype(int)
    groups: dict[str, pd.Series] = {}
    age = _age_column(frame)
    if age is not None:
        groups["age_band"] = pd.cut(frame[age], AGE_BANDS, right=False, labels=AGE_LABELS).astype(
            str
        )
    for col in protected:
        if col != age:
            groups[col] = frame[col].astype(str)
    attributes: dict[str, Any] = {}
    for name, sens in groups.items():
        sens = sens.reset_index(drop=True)
        rate = MetricFrame(
            metrics=selection_rate, y_true=y, y_pred=approved, sensitive_features=sens
        )
        auc = MetricFrame(metrics=_auc, y_true=y, y_pred=pd_, sensitive_features=sens)
        counts = sens.value_counts()
        rows = [
            {
                "group": str(g),
                "n": int(counts.get(g, 0)),
                "approval_rate": round(float(rate.by_group[g]), 4),
                "auc": None if np.isnan(auc.by_group[g]) else round(float(auc.by_group[g]), 4),
            }
            for g in rate.by_group.index
        ]
        ratio = float(rate.ratio(method="between_groups"))
        aucs = [float(r["auc"]) for r in rows if r["auc"] is not None]
        attributes[name] = {
            "groups": rows,
            "approval_rate_ratio": round(ratio, 4),
            "four_fifths_flag": ratio < 0.8,
            "auc_gap": round(max(aucs) - min(aucs), 4) if aucs else None,
        }
    return {
        "excluded_from_model": excluded,
        "note": (
            "Protected attributes were excluded from the model inputs and used only for this audit."
            if excluded
            else "No protected attribute was excluded (none found, or included on request)."
        ),
        "threshold": round(threshold, 4),
        "attributes": attributes,
    }


def fairness_markdown(report: dict[str, Any]) -> str:
    """Render the report as markdown for the model card."""
    lines = [f"_{report['note']}_", ""]
    if report["excluded_from_model"]:
        lines.append("Excluded from the model: " + ", ".join(report["excluded_from_model"]) + ".")
        lines.append("")
    for name, att in report["attributes"].items():
        flag = " (below four-fifths)" if att["four_fifths_flag"] else ""
        lines.append(
            f"**{name}** — approval-rate ratio {att['approval_rate_ratio']}{flag}, "
            f"AUC gap {att['auc_gap']}"
        )
        lines.append("")
        lines.append("| group | n | approval rate | AUC |")
        lines.append("|---|---|---|---|")
        for g in att["groups"]:
            lines.append(f"| {g['group']} | {g['n']} | {g['approval_rate']} | {g['auc']} |")
        lines.append("")
    return "\n".join(lines)
