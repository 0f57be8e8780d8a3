import json

import pytest
from typer.testing import CliRunner

from cli.main import app
from evals.baseline import (
    baseline_from_run,
    floors,
    is_baseline_file,
    load_baseline,
    write_baseline,
)
from evals.compare import compare_runs
from evals.gate import GateConfig, SuiteThreshold, verdict
from tests.unit.evals.test_gate import write_run


def test_a_run_becomes_a_baseline_of_outcomes_that_compares_like_the_run(tmp_path):
    cases = {f"s/c{i}": i < 7 for i in range(10)} | {"t/a": True}
    run = write_run(tmp_path / "run", cases)
    baseline = baseline_from_run(run)
    assert baseline.suites["s"].passed == 7 and baseline.suites["s"].rate == 0.7
    assert baseline.cases["s/c8"].passed is False
    assert baseline.cases["s/c8"].checks == {"decision": False}
    path = write_baseline(baseline, tmp_path / "b" / "offline.json")
    assert is_baseline_file(path) and not is_baseline_file(run)
    # One case per line, so a diff of the committed file shows the cases that moved.
    assert sum('"s/c' in line for line in path.read_text().splitlines()) == 10
    assert load_baseline(path) == baseline
    assert compare_runs(path, run) == {**compare_runs(run, run), "baseline": str(path)}


def test_a_partial_run_is_refused(tmp_path):
    run = write_run(tmp_path / "run", {"s/a": True})
    (run / "meta.json").write_text(json.dumps({"run_id": "run", "complete": False}))
    with pytest.raises(ValueError, match="partial"):
        baseline_from_run(run)


def test_floors_round_down_so_one_lost_case_fails(tmp_path):
    cases = {f"s/c{i}": i < 16 for i in range(23)}  # 16/23 = 69.6%
    baseline = baseline_from_run(write_run(tmp_path / "run", cases))
    assert floors(baseline) == {"s": 0.69}
    one_less = write_run(tmp_path / "worse", cases | {"s/c0": False})
    config = GateConfig(suites={"s": SuiteThreshold(min_pass_rate=0.69)})
    problems = verdict(compare_runs(tmp_path / "run", one_less), config)
    assert problems == [
        "s: pass rate 65.2% is below its floor 69.0% (baseline 69.6%); broke 1: s/c0"
    ]
    assert verdict(compare_runs(tmp_path / "run", tmp_path / "run"), config) == []


def test_baseline_command_writes_the_file_and_raises_floors(tmp_path):
    run = write_run(tmp_path / "run", {f"s/c{i}": i < 8 for i in range(10)})
    gate = tmp_path / "gate.yaml"
    gate.write_text(
        "# why\ndefault: {max_drop: 0.05, alpha: 1.0}\nsuites:\n  s: {min_pass_rate: 0.9}\n"
    )
    out = tmp_path / "offline.json"
    runner = CliRunner()
    done = runner.invoke(
        app, ["eval", "baseline", str(run), "--out", str(out), "--config", str(gate)]
    )
    assert done.exit_code == 0, done.output
    assert load_baseline(out).suites["s"].rate == 0.8
    assert "min_pass_rate: 0.9" in gate.read_text()  # a floor is never lowered by a refresh
    ok = runner.invoke(
        app,
        ["eval", "gate", "--baseline", str(out), "--candidate", str(run), "--config", str(gate)],
    )
    assert ok.exit_code == 1 and "s: pass rate 80.0% is below its floor 90.0%" in ok.output
    missing = runner.invoke(app, ["eval", "baseline", str(tmp_path / "nope"), "--out", str(out)])
    assert missing.exit_code == 2 and "no eval run" in missing.output
