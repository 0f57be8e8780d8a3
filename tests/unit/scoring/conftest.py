from __future__ import annotations

from pathlib import Path

import pytest

from scoring.datasets import SEED_SPEC, Dataset, prepare
from scoring.estimators import FAST_GRIDS
from scoring.generator import generate
from scoring.model import LoadedModel
from scoring.registry import load_champion, register
from scoring.training import TrainConfig, TrainOutcome, train


@pytest.fixture(scope="session")
def small_dataset() -> Dataset:
    return prepare(generate(800, seed=7), SEED_SPEC, data_hash="0" * 64, path="generated-test")


@pytest.fixture(scope="session")
def trained(small_dataset: Dataset) -> TrainOutcome:
    cfg = TrainConfig(folds=3, seed=1, families=("lr", "xgb"), grids=FAST_GRIDS, progress=False)
    return train(small_dataset, cfg)


@pytest.fixture(scope="session")
def registry_dir(
    tmp_path_factory: pytest.TempPathFactory, trained: TrainOutcome, small_dataset: Dataset
) -> Path:
    var = tmp_path_factory.mktemp("var")
    register(trained, small_dataset, var)
    return var


@pytest.fixture(scope="session")
def champion(registry_dir: Path) -> LoadedModel:
    return load_champion(registry_dir)
