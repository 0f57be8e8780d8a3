"""Hand-made cases and transcripts for the evaluator tests."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from evals.client import ToolCall, Turn
from evals.schema import Case, Profile
from evals.transcript import Transcript
from lending.amortization import monthly_payment

PROFILE: dict[str, Any] = {
    "product": "car", "amount": 20000, "tenure_months": 48, "annual_income": 96000,
    "employment_status": "Employed", "years_employed": 8, "credit_score": 780,
    "savings_balance": 40000, "checking_balance": 5000, "home_ownership": "Own",
    "num_dependents": 0, "education_level": "Master's", "age": 41,
}  # fmt: skip


def case(**kw: Any) -> Case:
    base: dict[str, Any] = {"id": "c1", "profile": PROFILE, "opening": "car loan 20000 48 months"}
    return Case.model_validate({**base, **kw})


def offer(rate: str = "7.57", amount: int = 20000, months: int = 48, **kw: Any) -> dict[str, Any]:
    payment = monthly_payment(Decimal(amount), Decimal(rate), months)
    return {
        "offer_id": "1", "product": "car", "amount": f"{amount}.00", "tenure_months": months,
        "annual_rate_pct": rate, "monthly_payment": str(payment), **kw,
    }  # fmt: skip


def submitted(profile: dict[str, Any] | None = None, outcome: str = "approved") -> ToolCall:
    p = Profile.model_validate(profile or PROFILE).model_dump(mode="json", exclude={"gold_value"})
    request = {k: p.pop(k) for k in ("product", "amount", "tenure_months")}
    return ToolCall(
        name="submit_application",
        args={"profile": p, "request": request},
        result={
            "application_id": "app_1",
            "status": outcome,
            "decision": {"outcome": outcome, "risk_tier": "A", "product": "car"},
            "offers": [offer()],
        },
    )


def approved_transcript(reply: str | None = None, **turn_kw: Any) -> Transcript:
    o = offer()
    text = reply or (
        f"Good news: approved. Option 1: ${o['amount']} over 48 months at 7.57%, "
        f"${o['monthly_payment']} a month."
    )
    turns = [
        Turn(user="car loan 20000 48 months", reply="What is your gross income?"),
        Turn(user="yes", reply=text, tools=[submitted()], **turn_kw),
    ]
    return Transcript(suite="s", case_id="c1", turns=turns, ended="decision")
