"""Where the scoring server finds its model, and how it is configured and started."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from core.config import Settings
from scoring.model import LoadedModel
from scoring.registry import champion_id
from scoring.server.loading import (
    SAGEMAKER_MODEL_DIR,
    default_model_dir,
    load_model_dir,
    load_state,
)


def test_registry_root_and_models_dir_load_the_champion(registry_dir: Path) -> None:
    for path in (registry_dir, registry_dir / "models"):
        assert load_model_dir(path).model_id == champion_id(registry_dir)


def test_a_bare_model_folder_loads_as_sagemaker_extracts_it(
    registry_dir: Path, tmp_path: Path, champion: LoadedModel
) -> None:
    opt_ml_model = tmp_path / "model"  # what model.tar.gz of var/models/<id>/ unpacks to
    shutil.copytree(champion.path, opt_ml_model)
    loaded = load_model_dir(opt_ml_model)
    assert loaded.model_id == champion.model_id
    row = dict.fromkeys(champion.features)
    assert loaded.score([row])[0] == champion.score([row])[0]


def test_missing_or_empty_dirs_explain_themselves(tmp_path: Path) -> None:
    state = load_state(tmp_path / "absent")
    assert not state.ready and "does not exist" in (state.reason or "")
    state = load_state(tmp_path)
    assert "expected model.joblib + metadata.json" in (state.reason or "")
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "CHAMPION").write_text("m-gone\n")
    assert "not in the registry" in (load_state(tmp_path).reason or "")


def test_a_corrupt_model_is_a_reason_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "model.joblib").write_bytes(b"not a pickle")
    state = load_state(tmp_path)
    assert state.model is None and "could not load the model" in (state.reason or "")


@pytest.mark.skipif(SAGEMAKER_MODEL_DIR.is_dir(), reason="running inside a SageMaker container")
def test_default_model_dir_falls_back_to_the_var_dir(tmp_path: Path) -> None:
    assert default_model_dir(tmp_path) == tmp_path


def test_port_comes_from_sagemaker_bind_to_port(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOAN_ADVISOR_SCORING_PORT", raising=False)
    monkeypatch.delenv("SAGEMAKER_BIND_TO_PORT", raising=False)
    assert Settings().scoring_port == 8080
    monkeypatch.setenv("SAGEMAKER_BIND_TO_PORT", "9123")
    assert Settings().scoring_port == 9123


def test_cli_offers_scoring_serve() -> None:
    result = CliRunner().invoke(app, ["scoring", "serve", "--help"])
    assert result.exit_code == 0
    assert "--model-dir" in result.output and "--port" in result.output
    assert CliRunner().invoke(app, ["scoring", "serve", "--port", "0"]).exit_code == 2
