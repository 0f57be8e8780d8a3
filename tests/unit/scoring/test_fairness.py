from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.fairness import fairness_markdown, fairness_report


def test_reports_rates_ratio_and_auc_by_age_band_and_attribute() -> None:
    rng = np.random.default_rng(0)
    n = 400
    frame = pd.DataFrame(
        {"age": rng.integers(18, 80, n), "marital_status": rng.choice(["Single", "Married"], n)}
    )
    y = rng.integers(0, 2, n)
    pd_ = np.clip(0.3 * y + rng.random(n) * 0.7, 0, 1)
    pd_[frame.marital_status == "Single"] += 0.3  # singles get declined more
    rep = fairness_report(frame, y, pd_, 0.5, ["age", "marital_status"], ["age", "marital_status"])
    assert set(rep["attributes"]) == {"age_band", "marital_status"}
    ms = rep["attributes"]["marital_status"]
    rates = {g["group"]: g["approval_rate"] for g in ms["groups"]}
    assert rates["Single"] < rates["Married"]
    assert ms["approval_rate_ratio"] == round(rates["Single"] / rates["Married"], 4)
    assert ms["four_fifths_flag"]
    assert "excluded from the model" in fairness_markdown(rep).lower()
