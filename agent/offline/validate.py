"""Check each value when the applicant gives it, against the policy and the applicant schema.

A value outside what the policy allows (a car loan over its cap, a term past the product's
longest, a credit score above 850, an age under the legal minimum, a negative income) is
not collected: the advisor names the allowed range and asks again, so nothing is ever
quoted, scored or submitted on it. Ranges come from `lending.policy` (products) and from the
bounds declared on `lending.schemas.ApplicantProfile` (scores), never from copies here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Any

from pydantic import TypeAdapter, ValidationError

from lending.messages import field_error, range_error, reason_text
from lending.policy import Policy, load_policy
from lending.schemas import ApplicantProfile, Reason


@dataclass(frozen=True)
class Rejection:
    """One value the advisor did not accept: the slot, what was said, and why in words.

    `text` is the lending catalogue's sentence (lending/messages_v1.yaml), naming the range.
    """

    slot: str
    value: Any
    text: str


_PROFILE_SLOTS = ("credit_score", "annual_income", "monthly_debt_payments", "years_employed",
                  "num_dependents", "existing_loans", "age")  # fmt: skip


@lru_cache(maxsize=16)
def _adapter(slot: str) -> TypeAdapter[Any]:
    """Return a validator for one ApplicantProfile field, with the bounds declared on it."""
    info = ApplicantProfile.model_fields[slot]
    field_type: Any = Annotated[info.annotation, info]  # a type built at run time, per field
    return TypeAdapter(field_type)


def _schema_bounds(name: str) -> tuple[int, int]:
    """Return the (ge, le) bounds declared on an ApplicantProfile field."""
    low, high = 0, 0
    for meta in ApplicantProfile.model_fields[name].metadata:
        low = int(getattr(meta, "ge", None) or low)
        high = int(getattr(meta, "le", None) or high)
    return low, high


def _ranged(slot: str, value: Any, product: str | None, policy: Policy) -> Rejection | None:
    """Check an amount or a term against the product's range (needs the product)."""
    if product is None or product not in policy.products or value is None:
        return None
    row = policy.product(product)
    bounds = row.amount if slot == "amount" else row.tenure_months
    if bounds.min <= Decimal(str(value)) <= bounds.max:
        return None
    return Rejection(slot, value, range_error(slot, product, policy) or "")


def _age(value: Any, product: str | None, policy: Policy) -> Rejection | None:
    """Check the legal minimum age (the product's, if stricter), then the schema's bounds."""
    minimum = policy.min_age(product) if product in policy.products else policy.general.min_age
    if value is not None and int(value) < minimum:
        reason = Reason(code="AGE_BELOW_MIN", message="age below minimum", limit=str(minimum),
                        actual=str(value))  # fmt: skip
        return Rejection("age", value, reason_text(reason))
    return _profile("age", value)


def _profile(slot: str, value: Any) -> Rejection | None:
    """Check a profile value against the bounds the applicant schema declares for it."""
    if value is None:
        return None
    try:
        _adapter(slot).validate_python(value)
    except ValidationError as exc:
        error = {**exc.errors()[0], "loc": (slot,)}
        return Rejection(slot, value, field_error(error))
    return None


def check_value(
    slot: str, value: Any, slots: dict[str, Any], policy: Policy | None = None
) -> Rejection | None:
    """Return why `value` cannot fill `slot` given the other `slots`, or None if it can."""
    policy = policy or load_policy()
    product = slots.get("product")
    if slot in ("amount", "tenure_months"):
        return _ranged(slot, value, product, policy)
    if slot == "age":
        return _age(value, product, policy)
    if slot in _PROFILE_SLOTS:
        return _profile(slot, value)
    return None


def split_valid(
    parsed: dict[str, Any], current: dict[str, Any], policy: Policy | None = None
) -> tuple[dict[str, Any], list[Rejection]]:
    """Return (the values that may be kept, the rejections) for one message's slots.

    A newly named product re-checks the amount and term already held, so "make it a home
    loan" with a $20,000 amount is caught when the product changes.
    """
    merged = {**current, **parsed}
    keep: dict[str, Any] = {}
    rejected: list[Rejection] = []
    recheck = [s for s in ("amount", "tenure_months") if "product" in parsed and s in current]
    for slot in [*parsed, *(s for s in recheck if s not in parsed)]:
        problem = check_value(slot, merged[slot], merged, policy)
        if problem is None:
            if slot in parsed:
                keep[slot] = parsed[slot]
        else:
            rejected.append(problem)
    return keep, rejected


# What to look up in the knowledge base to show the rule a refused value broke. The reply
# states the limit from the lending catalogue and cites the passage that says it, so every
# number in it is one a tool returned.
_LIMIT_QUERIES = {
    "amount": "{label} amount and term limits",
    "tenure_months": "{label} amount and term limits",
    "credit_score": "what range can a credit score take",
    "age": "minimum age for a {label}",
}


def limit_query(problem: Rejection, product: str | None) -> str | None:
    """Return the knowledge-base query that finds the rule `problem` broke, if it has one."""
    template = _LIMIT_QUERIES.get(problem.slot)
    if template is None:
        return None
    policy = load_policy()
    name = policy.products[product].label.lower() if product in policy.products else "loan"
    return template.format(label=name)
