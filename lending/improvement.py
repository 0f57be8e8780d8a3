"""Improvement advice for declined or referred requests, found by search and verified.

A suggestion changes one actionable input (a smaller amount, a different term, paying down
existing debt, a co-borrower's income, a higher credit score, more pledged gold), or two
when no single change is enough (e.g. a low score and an unaffordable payment at once). The
search re-runs the full decision, with the risk re-assessed by the caller's `assess`
function (the real scoring model in production), on the exact changed input, so a
suggestion is only returned when applying it turns the decision into an approval. Protected
attributes (age, marital status) and facts a person cannot reasonably change for a loan
(dependents, education, home ownership, employment) are never touched: the set of fields a
suggestion may change is closed (`ACTIONABLE_FIELDS`).
"""

from __future__ import annotations

from decimal import Decimal

from core.errors import ValidationFailed
from lending.decision import decide
from lending.levers import (
    GOOD,
    LEVERS,
    Assess,
    Candidate,
    Search,
    Target,
    memoised,
    rule_fixes,
)
from lending.policy import Policy, load_policy
from lending.schemas import (
    ApplicantProfile,
    Change,
    ImprovementSuggestion,
    LoanRequest,
)

#: (target, field) pairs a suggestion may change; nothing else, ever.
ACTIONABLE_FIELDS = frozenset(
    {
        ("request", "amount"),
        ("request", "tenure_months"),
        ("request", "co_borrower_annual_income"),
        ("request", "gold_value"),
        ("applicant", "monthly_debt_payments"),
        ("applicant", "credit_score"),
    }
)


def _apply(
    applicant: ApplicantProfile, request: LoanRequest, changes: list[tuple[Target, str, Decimal]]
) -> tuple[ApplicantProfile, LoanRequest]:
    for target, field, raw in changes:
        value: Decimal | int = int(raw) if field in ("tenure_months", "credit_score") else raw
        if target == "applicant":
            applicant = applicant.model_copy(update={field: value})
        else:
            request = request.model_copy(update={field: value})
    return applicant, request


def apply_suggestion(
    applicant: ApplicantProfile, request: LoanRequest, suggestion: ImprovementSuggestion
) -> tuple[ApplicantProfile, LoanRequest]:
    """Return the inputs with the suggestion applied (what the applicant would submit next)."""
    return _apply(
        applicant, request, [(c.target, c.field, c.new_value) for c in suggestion.changes]
    )


def _stamp(
    applicant: ApplicantProfile,
    request: LoanRequest,
    candidates: list[Candidate],
    assess: Assess,
    policy: Policy,
) -> ImprovementSuggestion | None:
    """Turn candidates into a suggestion after re-deciding on the changed original inputs."""
    if any((c[1], c[2]) not in ACTIONABLE_FIELDS for c in candidates):
        return None
    changes = []
    for lever, target, field, value, _ in candidates:
        raw = getattr(applicant if target == "applicant" else request, field)
        current = None if raw is None else Decimal(raw)
        new = Decimal(value)
        changes.append(
            Change(
                lever=lever,
                target=target,
                field=field,
                current_value=current,
                new_value=new,
                change=new - (current or 0),
            )
        )
    a, r = _apply(applicant, request, [(c.target, c.field, c.new_value) for c in changes])
    try:
        outcome = decide(a, r, assess(a, r), policy).outcome
    except ValidationFailed:
        return None
    if outcome not in GOOD:
        return None
    message = " and ".join(c[4] for c in candidates)
    return ImprovementSuggestion(
        changes=changes, message=message[0].upper() + message[1:], resulting_outcome=outcome
    )


def improvement_suggestions(
    applicant: ApplicantProfile,
    request: LoanRequest,
    assess: Assess,
    policy: Policy | None = None,
) -> list[ImprovementSuggestion]:
    """Return the smallest changes that turn a declined/referred request into an approval.

    `assess` scores an (applicant, request) pair; pass the real model's adapter. Single
    changes come first; only when none works are pairs tried (one rule-clearing change plus
    a searched second change). Returns an empty list when the request is already approved
    or when nothing actionable flips it (e.g. an age rule). Raises ValidationFailed for
    out-of-range input.
    """
    policy = policy or load_policy()
    assess = memoised(assess)
    if decide(applicant, request, assess(applicant, request), policy).outcome in GOOD:
        return []
    search = Search(applicant, request, assess, policy)
    singles = [c for c in (lever(search) for lever in LEVERS) if c is not None]
    if singles:
        stamped = (_stamp(applicant, request, [c], assess, policy) for c in singles)
        return [s for s in stamped if s is not None]
    out: list[ImprovementSuggestion] = []
    seen: set[frozenset[str]] = set()
    for first in rule_fixes(search):
        a1, r1 = _apply(applicant, request, [(first[1], first[2], Decimal(first[3]))])
        inner = Search(a1, r1, assess, policy)
        for lever in LEVERS:
            second = lever(inner)
            if second is None or second[2] == first[2]:
                continue
            key = frozenset({first[2], second[2]})
            if key in seen:
                continue
            suggestion = _stamp(applicant, request, [first, second], assess, policy)
            if suggestion is not None:
                seen.add(key)
                out.append(suggestion)
    return out
