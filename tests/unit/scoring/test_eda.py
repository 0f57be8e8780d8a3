from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from scoring.datasets import SEED_SPEC, prepare
from scoring.eda import find_rule, run_eda
from scoring.generator import generate


def _rule_frame(n: int = 600) -> pd.DataFrame:
    d = generate(n, seed=11)
    approved = (d.credit_score > 750) & (d.debt_to_income_ratio < 40)
    d["approval_status"] = np.where(approved, "Approved", "Rejected")
    return d


def test_detects_the_seed_files_two_feature_rule() -> None:
    d = _rule_frame()
    y = (d.approval_status == "Rejected").to_numpy(dtype=int)
    rule = find_rule(d, y, ["credit_score", "debt_to_income_ratio", "savings_balance", "loan_term"])
    assert rule is not None and rule["found"]
    assert set(rule["features"]) == {"credit_score", "debt_to_income_ratio"}


def test_no_rule_on_noisy_generated_data() -> None:
    d = generate(600, seed=12)
    y = (d.approval_status == "Rejected").to_numpy(dtype=int)
    rule = find_rule(d, y, ["credit_score", "debt_to_income_ratio", "savings_balance"])
    assert rule is not None and not rule["found"]


def test_report_flags_leakage_rule_and_income_quality(tmp_path: Path) -> None:
    d = _rule_frame()
    d.loc[:3, "annual_income"] = -5.0
    nonpositive = int((d.annual_income <= 0).sum())
    ds = prepare(d, SEED_SPEC)
    summary = run_eda(ds, tmp_path, progress=False)
    assert {"payment_history", "interest_rate", "monthly_payment"} <= set(summary["leakage"])
    assert summary["near_deterministic_rule"]["found"]
    text = " ".join(summary["warnings"])
    assert (
        "near-deterministic target" in text
        and f"annual_income has {nonpositive} values <= 0" in text
    )
    assert json.loads((tmp_path / "summary.json").read_text())["rows"] == 600
    html = (tmp_path / "report.html").read_text()
    assert html.count("data:image/png;base64") >= 4 and "Mutual information" in html
