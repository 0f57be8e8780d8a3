"""Gated retraining: a challenger replaces the champion only when it is not worse.

Champion and challenger are judged on the same held-out rows (the challenger's untouched test
split): ROC-AUC and Brier score may be worse by at most a stated margin, the expected
calibration error likewise, and the fairness audit (fairlearn, `scoring.fairness`) must not
newly break the four-fifths rule on any attribute. Every decision, promoted or not, is appended
to `<var_dir>/models/DECISIONS.jsonl` and written as `gate.json` beside the challenger, so a
promotion can be explained and `rollback` can restore the previous champion.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import brier_score_loss, roc_auc_score

from core.clock import Clock, SystemClock
from core.errors import NotFound
from scoring.datasets import Dataset
from scoring.fairness import fairness_report
from scoring.registry import champion_id, load_model, models_dir, register, set_champion
from scoring.training import TrainConfig, TrainOutcome, train

DECISIONS_FILE = "DECISIONS.jsonl"


@dataclass(frozen=True)
class GateConfig:
    """How much worse than the champion a challenger may be and still be promoted."""

    auc_margin: float = 0.005
    brier_margin: float = 0.005
    ece_margin: float = 0.02
    min_approval_ratio: float = 0.8  # four-fifths rule on each audited attribute
    fairness_margin: float = 0.05  # how much lower than the champion's ratio is tolerated
    min_group_rows: int = 30  # smaller groups are left out of the ratio (noise, not bias)


@dataclass
class Evaluation:
    """One model's figures on the shared holdout."""

    model_id: str
    roc_auc: float
    brier: float
    ece: float
    approval_ratios: dict[str, float]


@dataclass
class GateResult:
    """The gate's verdict with every check it made."""

    passed: bool
    reasons: list[str]
    challenger: Evaluation
    champion: Evaluation | None
    config: GateConfig = field(default_factory=GateConfig)


def expected_calibration_error(y: np.ndarray, pd_: np.ndarray, bins: int = 10) -> float:
    """Share-weighted mean |observed default rate - mean PD| over equal-width PD bins."""
    idx = np.minimum((pd_ * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        mask = idx == b
        if mask.any():
            total += float(mask.mean()) * abs(float(y[mask].mean()) - float(pd_[mask].mean()))
    return round(total, 4)


def _ratio(groups: list[dict[str, Any]], min_rows: int) -> float:
    """Lowest / highest approval rate over groups with at least `min_rows` rows."""
    rates = [g["approval_rate"] for g in groups if g["n"] >= min_rows]
    if len(rates) < 2 or max(rates) == 0:
        return 1.0
    return round(float(min(rates)) / float(max(rates)), 4)


def evaluate(
    model_id: str,
    y: np.ndarray,
    pd_: np.ndarray,
    threshold: float,
    ds: Dataset,
    rows: np.ndarray,
    min_group_rows: int = 30,
) -> Evaluation:
    """Figures of one model's PDs on the holdout rows `rows` of `ds`."""
    excluded = [c for c, why in ds.dropped.items() if why == "protected attribute"]
    frame = ds.frame.iloc[rows].reset_index(drop=True)
    fair = fairness_report(frame, y, pd_, threshold, ds.protected, excluded)
    return Evaluation(
        model_id=model_id,
        roc_auc=round(float(roc_auc_score(y, pd_)), 4),
        brier=round(float(brier_score_loss(y, pd_)), 4),
        ece=expected_calibration_error(y, pd_),
        approval_ratios={
            k: _ratio(v["groups"], min_group_rows) for k, v in fair["attributes"].items()
        },
    )


def judge(challenger: Evaluation, champion: Evaluation | None, cfg: GateConfig) -> GateResult:
    """Apply the gate: every failed check is one reason; no reasons means promote."""
    reasons: list[str] = []
    if champion is not None:
        if challenger.roc_auc < champion.roc_auc - cfg.auc_margin:
            reasons.append(f"ROC-AUC {challenger.roc_auc} < champion {champion.roc_auc} - "
                           f"{cfg.auc_margin}")  # fmt: skip
        if challenger.brier > champion.brier + cfg.brier_margin:
            reasons.append(f"Brier {challenger.brier} > champion {champion.brier} + "
                           f"{cfg.brier_margin}")  # fmt: skip
        if challenger.ece > champion.ece + cfg.ece_margin:
            reasons.append(f"calibration error {challenger.ece} > champion {champion.ece} + "
                           f"{cfg.ece_margin}")  # fmt: skip
    for attr, ratio in challenger.approval_ratios.items():
        before = champion.approval_ratios.get(attr) if champion else None
        # with a champion the bar is relative: no worse than it by more than the margin (or the
        # four-fifths rule, whichever is lower), so a model that improves fairness can replace
        # one already below the rule; without one the rule applies as is
        bar = cfg.min_approval_ratio
        if before is not None:
            bar = min(bar, before - cfg.fairness_margin)
        if ratio < bar:
            reasons.append(f"approval-rate ratio for {attr} {ratio} < {round(bar, 4)}")
    return GateResult(not reasons, reasons, challenger, champion, cfg)


def champion_on(
    var_dir: Path, ds: Dataset, outcome: TrainOutcome, gate: GateConfig
) -> Evaluation | None:
    """The current champion's figures on the challenger's holdout rows (None: no champion)."""
    mid = champion_id(var_dir)
    if mid is None:
        return None
    champ = load_model(var_dir, mid).model
    rows = outcome.test_index
    # the raw frame, not ds.X: the champion may use columns this run's spec leaves out
    pd_ = champ.predict_pd(champ.encoder.transform(ds.frame.iloc[rows]))
    return evaluate(mid, outcome.test_y, pd_, champ.threshold, ds, rows, gate.min_group_rows)


def retrain(
    ds: Dataset,
    var_dir: Path,
    train_cfg: TrainConfig,
    gate: GateConfig | None = None,
    *,
    force: bool = False,
    clock: Clock | None = None,
) -> tuple[str, GateResult, bool]:
    """Train and register a challenger; promote it if the gate passes (or `force`).

    Returns (challenger id, the gate's result, whether it was promoted).
    """
    gate = gate or GateConfig()
    clock = clock or SystemClock()
    outcome = train(ds, train_cfg)
    champ = champion_on(var_dir, ds, outcome, gate)
    challenger_id = register(outcome, ds, var_dir, make_champion=False, clock=clock)
    mine = evaluate(challenger_id, outcome.test_y, outcome.test_pd, outcome.model.threshold, ds,
                    outcome.test_index, gate.min_group_rows)  # fmt: skip
    result = judge(mine, champ, gate)
    promote = result.passed or force
    if promote:
        set_champion(var_dir, challenger_id)
    record = {
        "at": clock.now().isoformat(),
        "challenger": challenger_id,
        "champion_before": champ.model_id if champ else None,
        "promoted": promote,
        "passed": result.passed,
        "forced": force and not result.passed,
        "reasons": result.reasons,
        "data_hash": ds.data_hash,
        "evaluations": {"challenger": asdict(mine), "champion": asdict(champ) if champ else None},
        "gate": asdict(gate),
    }
    (models_dir(var_dir) / challenger_id / "gate.json").write_text(json.dumps(record, indent=2))
    with (models_dir(var_dir) / DECISIONS_FILE).open("a") as f:
        f.write(json.dumps(record) + "\n")
    return challenger_id, result, promote


def decisions(var_dir: Path) -> list[dict[str, Any]]:
    """Every recorded gate decision, oldest first."""
    path = models_dir(var_dir) / DECISIONS_FILE
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def rollback(var_dir: Path) -> str:
    """Restore the champion the last promotion replaced; returns the restored id."""
    current = champion_id(var_dir)
    for d in reversed(decisions(var_dir)):
        if d.get("promoted") and d.get("challenger") == current and d.get("champion_before"):
            set_champion(var_dir, d["champion_before"])
            with (models_dir(var_dir) / DECISIONS_FILE).open("a") as f:
                f.write(json.dumps({"rollback_from": current, "to": d["champion_before"],
                                    "promoted": False, "challenger": None}) + "\n")  # fmt: skip
            return str(d["champion_before"])
    raise NotFound("no promotion to roll back: the champion was not set by `scoring retrain`")
