"""The champion watcher: a moved pointer swaps the served model; a broken one changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

from scoring.datasets import Dataset
from scoring.registry import champion_id, models_dir, register, set_champion
from scoring.server.app import create_app
from scoring.server.loading import load_state
from scoring.server.reload import ChampionWatcher, registry_root
from scoring.training import TrainOutcome


def _registry(tmp_path: Path, trained: TrainOutcome, ds: Dataset) -> tuple[Path, str, str]:
    first = register(trained, ds, tmp_path)
    second = register(trained, ds, tmp_path, make_champion=False)
    return tmp_path, first, second


def test_a_moved_pointer_swaps_the_model_and_old_state_stays_usable(
    tmp_path: Path, trained: TrainOutcome, small_dataset: Dataset
) -> None:
    var, first, second = _registry(tmp_path, trained, small_dataset)
    app = create_app(load_state(var))
    svc = app.state.scoring
    old = svc.state  # what an in-flight request holds
    watcher = ChampionWatcher(svc, var)
    assert watcher.check() is False  # nothing moved
    set_champion(var, second)
    assert watcher.check() is True and watcher.swaps == 1
    assert svc.state.model.model_id == second
    assert old.model is not None and old.model.model_id == first  # untouched by the swap
    assert watcher.check() is False


def test_a_champion_that_fails_to_load_leaves_the_old_model_serving(
    tmp_path: Path, trained: TrainOutcome, small_dataset: Dataset
) -> None:
    var, first, second = _registry(tmp_path, trained, small_dataset)
    svc = create_app(load_state(var)).state.scoring
    set_champion(var, second)
    (models_dir(var) / second / "model.joblib").write_bytes(b"not a model")
    watcher = ChampionWatcher(svc, var)
    assert watcher.check() is False and watcher.check() is False  # tried once, not retried
    assert svc.state.model.model_id == first and champion_id(var) == second


def test_only_a_registry_root_is_followed(tmp_path: Path, registry_dir: Path) -> None:
    assert registry_root(registry_dir) == registry_dir
    folder = tmp_path / "one-model"
    shutil.copytree(models_dir(registry_dir) / str(champion_id(registry_dir)), folder)
    assert registry_root(folder) is None
