"""Compare two runs case by case: what got better, what broke, and is it more than chance."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

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


def evaluator_flips(before: list[CaseResult], after: list[CaseResult]) -> dict[str, list[str]]:
    """Return, per evaluator, the cases whose check passed before and fails now."""

    def table(rs: list[CaseResult]) -> dict[tuple[str, str], bool]:
        return {
            (f"{r.suite}/{r.case_id}", c.evaluator): c.passed
            for r in rs
            if r.repeat == 0
            for c in r.checks
        }

    a, b = table(before), table(after)
    out: dict[str, list[str]] = defaultdict(list)
    for (case, evaluator), ok in sorted(b.items()):
        if not ok and a.get((case, evaluator), False):
            out[evaluator].append(case)
    return dict(out)


def compare_runs(baseline: Path, candidate: Path) -> dict[str, Any]:
    """Compare run `candidate` against run `baseline`."""
    before, after = results_of(baseline), results_of(candidate)
    return {
        "baseline": str(baseline),
        "candidate": str(candidate),
        **compare_outcomes(case_outcomes(before), case_outcomes(after)),
        "evaluator_regressions": evaluator_flips(before, after),
    }
