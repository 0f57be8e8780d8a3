"""Compare two runs case by case: what got better, what broke, and is it more than chance."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from evals.baseline import is_baseline_file, load_baseline
from evals.runner import load_results
from evals.stats import bootstrap_diff, mcnemar_exact
from evals.summary import case_outcomes
from evals.transcript import CaseResult


def results_of(run: Path) -> list[CaseResult]:
    """Load a run's results from its folder or its results.jsonl / report.json path."""
    folder = run if run.is_dir() else run.parent
    if not (folder / "results.jsonl").exists():
        raise FileNotFoundError(f"no eval run at {run} (expected results.jsonl there)")
    return load_results(folder / "results.jsonl")


def _paired(
    before: dict[str, list[bool]], after: dict[str, list[bool]], keys: list[str]
) -> dict[str, Any]:
    """Compare first-repeat outcomes of the cases both runs hold."""
    a = [before[k][0] for k in keys]
    b = [after[k][0] for k in keys]
    broke = [k for k, x, y in zip(keys, a, b, strict=True) if x and not y]
    fixed = [k for k, x, y in zip(keys, a, b, strict=True) if y and not x]
    n = len(keys)
    return {
        "cases": n,
        "before": round(sum(a) / n, 4) if n else None,
        "after": round(sum(b) / n, 4) if n else None,
        "broke": broke,
        "fixed": fixed,
        "mcnemar_p": round(mcnemar_exact(len(broke), len(fixed)), 6),
        "diff_ci95": bootstrap_diff(a, b),
    }


def compare_outcomes(before: dict[str, list[bool]], after: dict[str, list[bool]]) -> dict[str, Any]:
    """Return overall and per-suite comparisons of two runs' case outcomes."""
    shared = sorted(set(before) & set(after))
    by_suite: dict[str, list[str]] = defaultdict(list)
    for key in shared:
        by_suite[key.split("/", 1)[0]].append(key)
    overall = _paired(before, after, shared)
    return {
        "overall": overall,
        "suites": {s: _paired(before, after, keys) for s, keys in sorted(by_suite.items())},
        "fixed": overall["fixed"],
        "broke": overall["broke"],
        "only_in_baseline": sorted(set(before) - set(after)),
        "only_in_candidate": sorted(set(after) - set(before)),
    }


CheckTable = dict[tuple[str, str], bool]
"""Each (suite/case, evaluator) verdict of a run's first repeat."""


def check_table(results: list[CaseResult]) -> CheckTable:
    """Return the first repeat's verdict of every evaluator on every case."""
    return {
        (f"{r.suite}/{r.case_id}", c.evaluator): c.passed
        for r in results
        if r.repeat == 0
        for c in r.checks
    }


def flips_between(a: CheckTable, b: CheckTable) -> dict[str, list[str]]:
    """Return, per evaluator, the cases whose check passed in `a` and fails in `b`."""
    out: dict[str, list[str]] = defaultdict(list)
    for (case, evaluator), ok in sorted(b.items()):
        if not ok and a.get((case, evaluator), False):
            out[evaluator].append(case)
    return dict(out)


def evaluator_flips(before: list[CaseResult], after: list[CaseResult]) -> dict[str, list[str]]:
    """Return, per evaluator, the cases whose check passed before and fails now."""
    return flips_between(check_table(before), check_table(after))


def outcomes_of(run: Path) -> tuple[dict[str, list[bool]], CheckTable]:
    """Return case outcomes and check verdicts of a run folder or a baseline file."""
    if is_baseline_file(run):
        baseline = load_baseline(run)
        return baseline.outcomes(), baseline.check_table()
    results = results_of(run)
    return case_outcomes(results), check_table(results)


def compare_runs(baseline: Path, candidate: Path) -> dict[str, Any]:
    """Compare run `candidate` against run (or baseline file) `baseline`."""
    (before, before_checks), (after, after_checks) = outcomes_of(baseline), outcomes_of(candidate)
    return {
        "baseline": str(baseline),
        "candidate": str(candidate),
        **compare_outcomes(before, after),
        "evaluator_regressions": flips_between(before_checks, after_checks),
    }
