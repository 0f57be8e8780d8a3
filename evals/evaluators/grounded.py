"""Numeric faithfulness: every number in a reply is one a tool produced or the applicant gave.

Sources are the tool outputs and arguments seen so far in the thread, the digits in the
applicant's own messages (with "85k"-style multipliers), and the persona's true profile (the
figures it said, in whatever words). A figure from anywhere else was made up.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from evals.schema import Case
from evals.transcript import Check, Transcript

_NUMBER = re.compile(r"(?<![\w.])(\d[\d,]*(?:\.\d+)?)(\s*[kK]\b)?")


def numbers(text: str) -> set[Decimal]:
    """Return every number written in `text` ('$20,000.00' -> 20000, '85k' -> 85000)."""
    out: set[Decimal] = set()
    for digits, k in _NUMBER.findall(text):
        try:
            value = Decimal(digits.replace(",", "").rstrip("."))
        except InvalidOperation:
            continue
        out.add(value.normalize())
        if k:
            out.add((value * 1000).normalize())
    return out


def _profile_numbers(case: Case) -> set[Decimal]:
    if case.profile is None:
        return set()
    out = set()
    for value in case.profile.model_dump().values():
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            out.add(Decimal(value).normalize())
    out.add((case.profile.annual_income / 12).quantize(Decimal("0.01")).normalize())
    return out


def _dump(value: Any) -> str:
    """Return every key and leaf of a tool output as text (not JSON: escapes hide digits)."""
    if isinstance(value, dict):
        return "\n".join(f"{k}\n{_dump(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "\n".join(_dump(v) for v in value)
    return str(value)


def grounded(t: Transcript, case: Case) -> Check | None:
    """Pass when no reply holds a number absent from every source seen up to that reply."""
    if not case.expect.grounded:
        return None
    known = _profile_numbers(case)
    made_up: list[str] = []
    for index, turn in enumerate(t.turns, start=1):
        known |= numbers(turn.user)
        for call in turn.tools:
            known |= numbers(_dump(call.args)) | numbers(_dump(call.result))
        for item in [*turn.offers, *turn.citations]:
            known |= numbers(_dump(item))
        stray = sorted(numbers(turn.reply) - known)
        made_up += [f"turn {index}: {n}" for n in stray]
    return Check(
        evaluator="grounded",
        passed=not made_up,
        detail="; ".join(made_up[:8]) or "every number traced to a source",
    )
