"""The retrain gate: promote a better challenger, refuse a worse one, record and roll back."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from core.errors import NotFound
from scoring.datasets import SEED_SPEC, Dataset, prepare
from scoring.estimators import FAST_GRIDS
from scoring.generator import generate
from scoring.registry import champion_id, register
from scoring.retrain import (
    Evaluation,
    GateConfig,
    decisions,
    expected_calibration_error,
    judge,
    retrain,
    rollback,
)
from scoring.training import TrainConfig, train

CFG = TrainConfig(folds=3, seed=1, families=("lr",), grids=FAST_GRIDS, progress=False)
WEAK = replace(SEED_SPEC, drop=(*SEED_SPEC.drop, "credit_score", "debt_to_income_ratio",
                                "annual_income", "savings_balance"))  # fmt: skip


@pytest.fixture(scope="module")
def frame():  # noqa: ANN201
    return generate(1500, seed=3)


def _ds(frame, spec) -> Dataset:  # noqa: ANN001
    return prepare(frame, spec, data_hash="1" * 64, path="generated-test")


def _eval(auc: float, brier: float, ece: float = 0.02, ratio: float = 0.9) -> Evaluation:
    return Evaluation("m", auc, brier, ece, {"age_band": ratio})


def test_judge_margins_and_fairness() -> None:
    champ = _eval(0.80, 0.15)
    assert judge(_eval(0.797, 0.153), champ, GateConfig()).passed  # within both margins
    worse = judge(_eval(0.78, 0.17, ece=0.08), champ, GateConfig())
    assert not worse.passed and len(worse.reasons) == 3
    unfair = judge(_eval(0.85, 0.10, ratio=0.7), champ, GateConfig())
    assert not unfair.passed and "approval-rate ratio" in unfair.reasons[0]
    # a champion already below four-fifths sets the bar; the challenger must not be worse
    assert judge(_eval(0.85, 0.10, ratio=0.7), _eval(0.8, 0.15, ratio=0.65), GateConfig()).passed
    assert judge(_eval(0.6, 0.3, ratio=0.9), None, GateConfig()).passed  # first model


def test_ece_of_perfectly_calibrated_bins_is_zero() -> None:
    import numpy as np

    y = np.array([0, 0, 0, 1] * 25)
    assert expected_calibration_error(y, np.full(100, 0.25)) == 0.0
    assert expected_calibration_error(y, np.full(100, 0.75)) == 0.5


def test_retrain_promotes_better_refuses_worse_and_rolls_back(frame, tmp_path: Path) -> None:
    first, refused_first, promoted = retrain(_ds(frame, WEAK), tmp_path, CFG)
    # without a champion the four-fifths rule is absolute; this weak model breaks it
    assert not promoted and champion_id(tmp_path) is None
    assert any("four" in r or "approval-rate" in r for r in refused_first.reasons)
    weak = _ds(frame, WEAK)
    weak_id = register(train(weak, CFG), weak, tmp_path)  # the bootstrap champion (`prepare`)

    strong_id, gate, promoted = retrain(_ds(frame, SEED_SPEC), tmp_path, CFG)
    assert gate.champion is not None and gate.champion.model_id == weak_id
    assert gate.challenger.roc_auc > gate.champion.roc_auc
    assert promoted, gate.reasons
    assert champion_id(tmp_path) == strong_id

    worse_id, refused, promoted = retrain(_ds(frame, WEAK), tmp_path, CFG)
    assert not promoted and not refused.passed and champion_id(tmp_path) == strong_id
    assert any("ROC-AUC" in r for r in refused.reasons)
    saved = json.loads((tmp_path / "models" / worse_id / "gate.json").read_text())
    assert saved["promoted"] is False and saved["champion_before"] == strong_id
    assert [d["promoted"] for d in decisions(tmp_path)] == [False, True, False]
    assert first != worse_id

    assert rollback(tmp_path) == weak_id and champion_id(tmp_path) == weak_id
    with pytest.raises(NotFound):
        rollback(tmp_path)
