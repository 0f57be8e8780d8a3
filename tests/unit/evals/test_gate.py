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
