from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from core.errors import NotFound
from scoring.datasets import Dataset
from scoring.registry import (
    champion_id,
    list_models,
    load_champion,
    load_model,
    register,
    set_champion,
)
from scoring.training import TrainOutcome


def test_registered_model_folder_holds_everything(registry_dir: Path) -> None:
    mid = champion_id(registry_dir)
    assert mid is not None
    folder = registry_dir / "models" / mid
    plots = ["plots/roc.png", "plots/pr.png", "plots/calibration.png", "plots/shap_importance.png"]
    for name in ("model.joblib", "metadata.json", "model_card.md", "fairness.json", *plots):
        assert (folder / name).is_file(), name
    meta = json.loads((folder / "metadata.json").read_text())
    assert meta["data_hash"] == "0" * 64 and meta["code_version"]
    assert "age" not in meta["features"] and "payment_history" not in meta["features"]
    assert set(meta["metrics"]) >= {
        "accuracy",
        "precision",
        "recall",
        "f1",
        "roc_auc",
        "pr_auc",
        "brier",
    }
    assert meta["metrics"]["roc_auc"] > 0.7
    card = (folder / "model_card.md").read_text()
    assert "Protected attributes were excluded" in card and "age_band" in card


def test_second_model_and_champion_pointer(
    registry_dir: Path, trained: TrainOutcome, small_dataset: Dataset
) -> None:
    first = champion_id(registry_dir)
    second = register(trained, small_dataset, registry_dir, make_champion=False)
    assert second != first and champion_id(registry_dir) == first
    assert {m["model_id"] for m in list_models(registry_dir)} >= {first, second}
    set_champion(registry_dir, second)
    assert load_champion(registry_dir).model_id == second
    set_champion(registry_dir, first or "")
    with pytest.raises(NotFound):
        set_champion(registry_dir, "m-missing")
    with pytest.raises(NotFound):
        load_model(registry_dir, "m-missing")


def test_failed_registration_leaves_nothing(
    tmp_path: Path, trained: TrainOutcome, small_dataset: Dataset
) -> None:
    broken = Dataset(
        **{**small_dataset.__dict__, "X": small_dataset.X.drop(columns=["credit_score"])}
    )
    with pytest.raises(ValueError):
        register(trained, broken, tmp_path)
    assert list((tmp_path / "models").iterdir()) == []
    assert champion_id(tmp_path) is None


def test_no_champion_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="no champion"):
        load_champion(tmp_path)


def test_loading_and_scoring_never_imports_tensorflow(registry_dir: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from scoring.registry import load_champion; "
        f"m = load_champion(Path({str(registry_dir)!r})); "
        "m.score([{'credit_score': 700}], explain=True); "
        "print('tensorflow' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert out.stdout.strip() == "False"
