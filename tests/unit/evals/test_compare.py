from evals.compare import compare_outcomes, evaluator_flips
from evals.transcript import CaseResult, Check
from tests.unit.evals.evals_factories import approved_transcript


def result(case_id: str, passed: bool, evaluator: str = "decision") -> CaseResult:
    return CaseResult(
        suite=case_id.split("/")[0], case_id=case_id.split("/")[1],
        transcript=approved_transcript(), checks=[Check(evaluator=evaluator, passed=passed)],
    )  # fmt: skip


def test_flips_are_listed_with_the_exact_test():
    before = {f"s/c{i}": [True] for i in range(10)} | {"s/x": [False], "t/y": [True]}
    after = {f"s/c{i}": [i >= 4] for i in range(10)} | {"s/x": [True], "t/z": [True]}
    out = compare_outcomes(before, after)
    assert out["broke"] == ["s/c0", "s/c1", "s/c2", "s/c3"]
    assert out["fixed"] == ["s/x"]
    assert out["suites"]["s"]["before"] == round(10 / 11, 4)
    assert out["overall"]["mcnemar_p"] == round(2 * 6 / 32, 6)  # 2 * P(X <= 1), n = 5
    assert out["only_in_baseline"] == ["t/y"] and out["only_in_candidate"] == ["t/z"]


def test_evaluator_flips_name_the_check_that_newly_fails():
    before = [result("s/a", True, "grounded"), result("s/b", False, "grounded")]
    after = [result("s/a", False, "grounded"), result("s/b", False, "grounded")]
    assert evaluator_flips(before, after) == {"grounded": ["s/a"]}
