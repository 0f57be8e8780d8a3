import json
from pathlib import Path

from typer.testing import CliRunner

from cli.main import app
from evals.gate import GateConfig, SuiteThreshold, verdict
from evals.transcript import CaseResult, Check
from tests.unit.evals.evals_factories import approved_transcript


def write_run(folder: Path, outcomes: dict[str, bool], evaluator: str = "decision") -> Path:
    folder.mkdir(parents=True)
    (folder / "meta.json").write_text(json.dumps({"run_id": folder.name, "complete": True}))
    with (folder / "results.jsonl").open("w") as sink:
        for key, passed in outcomes.items():
            suite, case_id = key.split("/")
            r = CaseResult(
                suite=suite, case_id=case_id, transcript=approved_transcript(),
                checks=[Check(evaluator=evaluator, passed=passed)],
            )  # fmt: skip
            sink.write(r.model_dump_json() + "\n")
    return folder


def comparison(before: float, after: float, p: float, broke: list[str]) -> dict:
    return {
        "suites": {"s": {"before": before, "after": after, "mcnemar_p": p, "broke": broke}},
        "only_in_baseline": [],
        "evaluator_regressions": {},
    }


def test_verdict_uses_the_floor_the_drop_and_alpha():
    config = GateConfig(default=SuiteThreshold(max_drop=0.05, alpha=0.05))
    assert verdict(comparison(0.9, 0.88, 0.5, []), config) == []
    assert verdict(comparison(0.9, 0.7, 0.5, ["s/a"]), config) == []  # not significant
    assert "fell 20.0%" in verdict(comparison(0.9, 0.7, 0.01, ["s/a"]), config)[0]
    floor = GateConfig(suites={"s": SuiteThreshold(min_pass_rate=0.8)})
    assert "below its floor" in verdict(comparison(0.9, 0.79, 1.0, []), floor)[0]


def test_zero_tolerance_evaluators_fail_on_any_new_failure():
    config = GateConfig(zero_tolerance=["grounded"])
    c = comparison(0.9, 0.9, 1.0, []) | {"evaluator_regressions": {"grounded": ["s/a"]}}
    assert verdict(c, config) == ["grounded newly fails on: s/a"]


def test_gate_command_exit_codes(tmp_path):
    cases = {f"s/c{i}": True for i in range(10)}
    base = write_run(tmp_path / "base", cases)
    same = write_run(tmp_path / "same", cases)
    worse = write_run(tmp_path / "worse", {k: i >= 3 for i, k in enumerate(cases)})
    runner = CliRunner()
    ok = runner.invoke(app, ["eval", "gate", "--baseline", str(base), "--candidate", str(same)])
    assert ok.exit_code == 0, ok.output
    bad = runner.invoke(app, ["eval", "gate", "--baseline", str(base), "--candidate", str(worse)])
    assert bad.exit_code == 1 and "fell 30.0%" in bad.output
    missing = runner.invoke(app, ["eval", "gate", "--baseline", str(tmp_path / "nope")])
    assert missing.exit_code == 2 and "no eval run" in missing.output


def test_run_command_rejects_unknown_choices_naming_them():
    runner = CliRunner()
    out = runner.invoke(app, ["eval", "run", "--suite", "nope"])
    assert out.exit_code == 2 and "unknown suite 'nope'; choose from:" in out.output
    out = runner.invoke(app, ["eval", "run", "--suite", "fairness", "--provider", "magic:x"])
    assert out.exit_code == 2 and "unknown provider 'magic:x'" in out.output
    out = runner.invoke(app, ["eval", "run", "--suite", "fairness", "--prompt-variant", "Z"])
    assert out.exit_code == 2 and "unknown prompt variant 'Z'" in out.output


def test_raise_floors_only_raises_and_keeps_the_comments(tmp_path):
    from evals.gate import load_gate_config, raise_floors

    path = tmp_path / "gate.yaml"
    path.write_text(
        "# the floors\n# explained\ndefault:\n  max_drop: 0.1\n  alpha: 1.0\n"
        "suites:\n  a: {min_pass_rate: 0.8, alpha: 0.05}\nzero_tolerance: [grounded]\n"
    )
    stored = raise_floors({"a": 0.5, "b": 0.42}, path)
    assert stored == {"a": 0.8, "b": 0.42}
    assert path.read_text().startswith("# the floors\n# explained\n")
    config = load_gate_config(path)
    assert config.for_suite("a") == SuiteThreshold(min_pass_rate=0.8, max_drop=0.1, alpha=0.05)
    assert config.for_suite("b").max_drop == 0.1  # a suite's entry inherits the defaults
    assert config.zero_tolerance == ["grounded"]
    assert raise_floors({"a": 0.85}, path) == {"a": 0.85, "b": 0.42}


def test_a_drop_past_max_drop_names_the_flipped_cases():
    config = GateConfig(default=SuiteThreshold(max_drop=0.05))
    stats = comparison(0.9, 0.7, 0.01, ["s/a", "s/b"])
    stats["suites"]["s"]["fixed"] = ["s/c"]
    assert verdict(stats, config) == [
        "s: pass rate fell 20.0% (90.0% -> 70.0%), more than 5.0% (McNemar p=0.01); "
        "broke 2: s/a, s/b; fixed 1: s/c"
    ]


def test_report_command_rebuilds_a_killed_runs_reports(tmp_path):
    run = write_run(tmp_path / "runs" / "r1", {"s/a": True, "s/b": False})
    (run / "meta.json").write_text(json.dumps({"run_id": "r1", "complete": False}))
    runner = CliRunner()
    out = runner.invoke(app, ["eval", "report", "r1", "--out", str(tmp_path / "runs")])
    assert out.exit_code == 0, out.output
    assert "Partial run" in (run / "report.html").read_text()
    assert json.loads((run / "report.json").read_text())["summary"]["overall"]["passed"] == 1
    missing = runner.invoke(app, ["eval", "report", "nope", "--out", str(tmp_path / "runs")])
    assert missing.exit_code == 2 and "no eval run 'nope'" in missing.output
