"""`scoring drift` writes where the staff dashboard and `ops check` read (one drift folder)."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.main import create_app
from cli.main import app
from core.config import Settings
from scoring.datasets import SEED_SPEC, prepare
from scoring.estimators import FAST_GRIDS
from scoring.generator import generate
from scoring.registry import register
from scoring.training import TrainConfig, train
from tests.fakes.knowledge import FakeKnowledgeBase
from tests.fakes.scoring import RuleScorer
from tests.unit.api.conftest import log_in_staff

CFG = TrainConfig(folds=3, seed=1, families=("lr",), grids=FAST_GRIDS, progress=False)


def _champion(var_dir: Path) -> None:
    """Register a small logistic-regression champion trained from a CSV file."""
    frame = generate(800, seed=5)
    csv = var_dir / "train.csv"
    frame.to_csv(csv, index=False)
    ds = prepare(frame, SEED_SPEC, data_hash="2" * 64, path=str(csv))
    register(train(ds, CFG), ds, var_dir)


def test_the_report_the_cli_writes_is_the_one_the_dashboard_returns(tmp_path: Path) -> None:
    settings = Settings(
        var_dir=tmp_path, staff_email="staff@example.com", staff_password="staff-password-1"
    )
    _champion(tmp_path)
    recent = tmp_path / "recent.csv"
    generate(300, seed=9).to_csv(recent, index=False)
    result = CliRunner().invoke(
        app, ["scoring", "drift", "--var-dir", str(tmp_path), "--recent", str(recent)]
    )
    assert result.exit_code in (0, 1), result.output  # 1 only when a PSI reaches "act"
    written = json.loads((settings.drift_dir / "drift.json").read_text())
    assert settings.drift_dir == tmp_path / "ops" / "drift"

    api = create_app(settings, scorer=RuleScorer(), knowledge=FakeKnowledgeBase())
    with TestClient(api) as client:
        body = client.get("/v1/staff/ops-health", headers=log_in_staff(client)).json()
    assert body["drift"] == written
    rule = next(a for a in body["alarms"] if a["rule"] == "drift_psi")
    assert rule["value"] == max(f["psi"] for f in written["features"])
