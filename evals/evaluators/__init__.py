"""Deterministic evaluators: each reads a transcript and its case, returns a Check or None.

None means the case expects nothing the evaluator judges. Evaluators never call a model.
"""

from __future__ import annotations

from collections.abc import Callable

from evals.evaluators.content import citations, content, refusal
from evals.evaluators.grounded import grounded
from evals.evaluators.offers import offer_policy, payments
from evals.evaluators.outcome import decision, max_turns, profile_read, task_success
from evals.evaluators.tools import tools_called, tools_not_called, trajectory
from evals.schema import Case
from evals.transcript import Check, Transcript

Evaluator = Callable[[Transcript, Case], Check | None]

EVALUATORS: dict[str, Evaluator] = {
    "task_success": task_success,
    "decision": decision,
    "profile_read": profile_read,
    "max_turns": max_turns,
    "offer_policy": offer_policy,
    "payments": payments,
    "tools_called": tools_called,
    "tools_not_called": tools_not_called,
    "trajectory": trajectory,
    "citations": citations,
    "content": content,
    "refusal": refusal,
    "grounded": grounded,
}


def evaluate(transcript: Transcript, case: Case) -> list[Check]:
    """Run every applicable evaluator on `transcript`."""
    return [c for fn in EVALUATORS.values() if (c := fn(transcript, case)) is not None]
