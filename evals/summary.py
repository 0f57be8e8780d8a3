"""Summarise a run's results: pass rates per suite and evaluator, pass@1 and pass^k."""

from __future__ import annotations

from collections import defaultdict
from statistics import median
from typing import Any

from evals.stats import wilson
from evals.transcript import CaseResult


def _rate(passed: int, total: int) -> dict[str, Any]:
    return {
        "passed": passed,
        "total": total,
        "rate": round(passed / total, 4) if total else None,
        "ci95": wilson(passed, total),
    }


def case_outcomes(results: list[CaseResult]) -> dict[str, list[bool]]:
    """Return each case's pass/fail per repeat, keyed `suite/case_id`."""
    out: dict[str, list[bool]] = defaultdict(list)
    for r in sorted(results, key=lambda r: r.repeat):
        out[f"{r.suite}/{r.case_id}"].append(r.passed)
    return dict(out)


def summarise(results: list[CaseResult]) -> dict[str, Any]:
    """Return the run's figures; pass@1 over all repeats, pass^k when every repeat passed."""
    by_suite: dict[str, list[CaseResult]] = defaultdict(list)
    evaluators: dict[str, list[bool]] = defaultdict(list)
    per_suite_eval: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    for r in results:
        by_suite[r.suite].append(r)
        for c in r.checks:
            evaluators[c.evaluator].append(c.passed)
            per_suite_eval[r.suite][c.evaluator].append(c.passed)
    outcomes = case_outcomes(results)
    suites = {}
    for name, rs in sorted(by_suite.items()):
        cases = {k: v for k, v in outcomes.items() if k.startswith(name + "/")}
        suites[name] = {
            **_rate(sum(r.passed for r in rs), len(rs)),
            "pass_hat_k": _rate(sum(all(v) for v in cases.values()), len(cases)),
            "evaluators": {
                e: _rate(sum(v), len(v)) for e, v in sorted(per_suite_eval[name].items())
            },
        }
    turns = [len(r.transcript.turns) for r in results]
    latencies = [t.latency_ms for r in results for t in r.transcript.turns if t.latency_ms]
    return {
        "overall": _rate(sum(r.passed for r in results), len(results)),
        "suites": suites,
        "evaluators": {e: _rate(sum(v), len(v)) for e, v in sorted(evaluators.items())},
        "turns_median": median(turns) if turns else None,
        "turn_latency_ms_median": round(median(latencies), 2) if latencies else None,
        "tokens_per_turn_median": median(
            [t.tokens for r in results for t in r.transcript.turns] or [0]
        ),
        "failures": [
            {
                "case": f"{r.suite}/{r.case_id}",
                "repeat": r.repeat,
                "failed": [f"{c.evaluator}: {c.detail}" for c in r.checks if not c.passed],
            }
            for r in sorted(results, key=lambda r: (r.suite, r.case_id, r.repeat))
            if not r.passed
        ],
    }
