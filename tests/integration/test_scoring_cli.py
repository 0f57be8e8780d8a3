"""`loan-advisor scoring` commands end to end on small generated data (real files and models)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import cli.scoring  # noqa: F401  (registers the commands on scoring_app)
from cli.groups import scoring_app
from cli.scoring import ensure_champion
from scoring.registry import champion_id, list_models

SEED = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "data"
    / "personalized_loan_recommendation_dataset.csv"
)
runner = CliRunner()


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("data") / "gen.csv"
    res = runner.invoke(
        scoring_app, ["generate", "--rows", "700", "--seed", "3", "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    return out


def test_train_list_score(data: Path, tmp_path: Path) -> None:
    res = runner.invoke(
        scoring_app,
        [
            "train",
            "--data",
            str(data),
            "--fast",
            "--families",
            "lr,xgb",
            "--folds",
            "3",
            "--var-dir",
            str(tmp_path),
            "--champion",  # promotion without the gate is explicit now
        ],
    )
    assert res.exit_code == 0, res.output
    mid = champion_id(tmp_path)
    assert mid and (tmp_path / "models" / mid / "model_card.md").is_file()
    listed = runner.invoke(scoring_app, ["list", "--var-dir", str(tmp_path)])
    assert f"* {mid}" in listed.output
    applicant = {
        "credit_score": 560,
        "debt_to_income_ratio": 55,
        "employment_status": "Unemployed",
        "annual_income": 30000,
        "requested_loan_amount": 40000,
        "savings_balance": 200,
    }
    scored = runner.invoke(
        scoring_app, ["score", json.dumps(applicant), "--var-dir", str(tmp_path)]
    )
    assert scored.exit_code == 0, scored.output
    (result,) = json.loads(scored.stdout)
    assert result["model_version"] == mid and result["risk_tier"] in "ABCDE"
    assert 1 <= len(result["reasons"]) <= 4


def test_cv_json_prints_one_object(data: Path) -> None:
    res = runner.invoke(
        scoring_app,
        ["cv", "--data", str(data), "--target", "approval_status", "--positive", "Rejected",
         "--drop", "customer_id", "--drop", "payment_history", "--drop", "interest_rate",
         "--drop", "monthly_payment", "--folds", "3", "--families", "lr,xgb", "--json"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    lines = [ln for ln in res.stdout.splitlines() if ln.strip()]
    assert len(lines) == 1
    out = json.loads(lines[0])
    assert out["folds"] == 3 and out["selected"] in out["models"]
    for m in out["models"].values():
        assert {"roc_auc_mean", "roc_auc_sd", "brier_mean", "brier_sd"} <= set(m)
    assert "age" not in out["features"] and "payment_history" not in out["features"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--data", "missing.csv"], "data file not found"),
        (["--target", "nope", "--positive", "Rejected"], "target column 'nope' not in data"),
        (
            ["--target", "approval_status", "--positive", "Maybe"],
            "positive label 'Maybe' not found",
        ),
        (["--families", "svm"], "unknown model family"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(
    data: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    base = ["train", "--var-dir", str(tmp_path), "--fast"]
    if "--data" not in args:
        base += ["--data", str(data)]
    res = runner.invoke(scoring_app, [*base, *args])
    assert res.exit_code == 2
    err = res.stderr.strip()
    assert message in err and len(err.splitlines()) == 1
    assert list_models(tmp_path) == [] and champion_id(tmp_path) is None


def test_one_class_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "one.csv"
    path.write_text("x,label\n1,bad\n2,bad\n3,bad\n")
    args = ["train", "--data", str(path), "--target", "label", "--positive", "bad"]
    res = runner.invoke(scoring_app, [*args, "--var-dir", str(tmp_path)])
    assert res.exit_code == 2 and "only one class" in res.stderr
    assert not (tmp_path / "models").exists() or list_models(tmp_path) == []


def test_prepare_step_trains_a_champion_once(tmp_path: Path) -> None:
    first = ensure_champion(tmp_path, rows=600, seed=5)
    assert first is not None and champion_id(tmp_path) == first
    assert ensure_champion(tmp_path, rows=600, seed=5) is None


@pytest.mark.skipif(not SEED.is_file(), reason="seed file not present")
def test_eda_on_seed_file_reports_rule_and_leakage(tmp_path: Path) -> None:
    res = runner.invoke(scoring_app, ["eda", "--data", str(SEED), "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["rows"] == 10_000 and summary["columns"] == 21
    assert set(summary["near_deterministic_rule"]["features"]) == {
        "credit_score",
        "debt_to_income_ratio",
    }
    assert {"payment_history", "interest_rate", "monthly_payment"} <= set(summary["leakage"])
