"""What the replies say: required citations, required/forbidden content, refusals."""

from __future__ import annotations

import re

from evals.schema import Case
from evals.transcript import Check, Transcript

REFUSAL = re.compile(
    r"\bI (can't|cannot|can not|won't|am not able to|'m not able to|can only)\b|\bunable to\b",
    re.I,
)
"""How a refusal reads; kept broad because any provider may word it its own way."""


def citations(t: Transcript, case: Case) -> Check | None:
    """Pass when the required KB documents were cited, and every [n] marker has a passage."""
    if not case.expect.citations:
        return None
    cited = {str(p.get("doc_id")) for turn in t.turns for p in turn.citations}
    missing = [d for d in case.expect.citations if d not in cited]
    dangling = []
    for turn in t.turns:
        refs = {int(r) for r in re.findall(r"\[(\d+)\]", turn.reply)}
        known = {int(p.get("ref", -1)) for p in turn.citations}
        dangling += [r for r in sorted(refs) if r not in known]
    problems = ([f"missing {missing}"] if missing else []) + (
        [f"markers without a passage {dangling}"] if dangling else []
    )
    return Check(
        evaluator="citations",
        passed=not problems,
        detail="; ".join(problems) or f"cited {sorted(cited)}",
    )


def content(t: Transcript, case: Case) -> Check | None:
    """Pass when each required pattern is in some reply and no forbidden one is in any."""
    need, forbid = case.expect.must_include, case.expect.must_not_include
    if not need and not forbid:
        return None
    text = "\n".join(t.replies())
    missing = [p for p in need if not re.search(p, text, re.I | re.S)]
    found = [p for p in forbid if re.search(p, text, re.I | re.S)]
    problems = ([f"missing /{'/, /'.join(missing)}/"] if missing else []) + (
        [f"forbidden /{'/, /'.join(found)}/"] if found else []
    )
    return Check(evaluator="content", passed=not problems, detail="; ".join(problems) or "ok")


def refusal(t: Transcript, case: Case) -> Check | None:
    """Pass when the advisor refused if and only if the case expects a refusal."""
    if case.expect.refusal is None:
        return None
    refused = [i + 1 for i, reply in enumerate(t.replies()) if REFUSAL.search(reply)]
    ok = bool(refused) == case.expect.refusal
    detail = f"refused in turn(s) {refused}" if refused else "no refusal"
    return Check(evaluator="refusal", passed=ok, detail=detail)
