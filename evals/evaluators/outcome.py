"""Did the conversation reach its goal, with the right decision, on the right details?"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from evals.schema import Case
from evals.transcript import Check, Transcript

_GOAL_ENDS = {
    "decision": ("decision", "accepted", "handover"),
    "accept": ("accepted",),
    "script": ("script done",),
}


def task_success(t: Transcript, case: Case) -> Check:
    """Pass when the conversation ended the way the case's goal needs, without API errors."""
    errors = [turn.error for turn in t.turns if turn.error]
    if errors or t.error:
        return Check(
            evaluator="task_success", passed=False, detail=f"error: {t.error or errors[0]}"
        )
    ok = t.ended in _GOAL_ENDS[case.goal] or (case.goal == "decision" and bool(t.decisions()))
    return Check(evaluator="task_success", passed=ok, detail=f"ended: {t.ended or 'turn budget'}")


def decision(t: Transcript, case: Case) -> Check | None:
    """Pass when the last decision's outcome is one the case allows."""
    if case.expect.outcome is None:
        return None
    decisions = t.decisions()
    if not decisions:
        return Check(evaluator="decision", passed=False, detail="no decision was made")
    outcome = str(decisions[-1].get("outcome"))
    ok = outcome in case.expect.outcome
    return Check(
        evaluator="decision", passed=ok, detail=f"{outcome}, expected {case.expect.outcome}"
    )


def _equal(expected: Any, got: Any) -> bool:
    if expected is None or got is None:
        return expected is None and got in (None, "")
    if isinstance(expected, Decimal | int) and not isinstance(expected, bool):
        try:
            return abs(Decimal(str(got)) - Decimal(expected)) < Decimal("0.01")
        except ArithmeticError:
            return False
    return str(expected).lower() == str(got).lower()


def profile_read(t: Transcript, case: Case) -> Check | None:
    """Pass when the first decided submission carries exactly the persona's true details.

    The first one is what the applicant's answers (and corrections) produced; later ones
    follow changes asked for after the decision, such as borrowing less.
    """
    if not case.expect.profile_read or case.profile is None or case.goal == "script":
        return None
    submits = [
        c
        for c in t.tools()
        if c.name == "submit_application" and isinstance(c.result, dict) and "decision" in c.result
    ]
    if not submits:
        return Check(evaluator="profile_read", passed=False, detail="nothing was submitted")
    args = submits[0].args
    sent = {**(args.get("request") or {}), **(args.get("profile") or {})}
    wrong = []
    for name, expected in case.profile.model_dump().items():
        if name == "gold_value" and expected is None:
            continue
        if not _equal(expected, sent.get(name)):
            wrong.append(f"{name}: said {expected}, submitted {sent.get(name)!r}")
    return Check(
        evaluator="profile_read", passed=not wrong, detail="; ".join(wrong) or "all details right"
    )


def max_turns(t: Transcript, case: Case) -> Check:
    """Pass when the conversation took no more applicant turns than the case allows."""
    n = len(t.turns)
    ok = n <= case.expect.max_turns and t.ended != ""
    return Check(
        evaluator="max_turns", passed=ok, detail=f"{n} turns (max {case.expect.max_turns})"
    )
