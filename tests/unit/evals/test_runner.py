from evals.runner import _end_torn_line, _judged, load_results
from evals.transcript import CaseResult, Check
from tests.unit.evals.evals_factories import approved_transcript, case


def result(case_id: str) -> CaseResult:
    return CaseResult(
        suite="s", case_id=case_id, transcript=approved_transcript(),
        checks=[Check(evaluator="decision", passed=True)],
    )  # fmt: skip


def test_a_torn_last_line_is_skipped_and_appends_start_on_a_new_line(tmp_path):
    path = tmp_path / "results.jsonl"
    whole = result("a").model_dump_json()
    path.write_text(whole + "\n" + result("b").model_dump_json()[:40])  # killed mid-write
    assert [r.case_id for r in load_results(path)] == ["a"]
    _end_torn_line(path)
    with path.open("a") as sink:
        sink.write(result("b").model_dump_json() + "\n")
    assert [r.case_id for r in load_results(path)] == ["a", "b"]
    _end_torn_line(path)  # a whole file is left alone
    assert path.read_text().count("\n") == 3


def test_a_judge_that_raises_is_a_failed_check_not_a_lost_case():
    def broken(_t, _c):
        raise TimeoutError("model timed out")

    def silent(_t, _c):
        return None

    checks = _judged(approved_transcript(), case(), [broken, silent])
    assert len(checks) == 1 and not checks[0].passed
    assert checks[0].detail == "the judge failed: TimeoutError: model timed out"
