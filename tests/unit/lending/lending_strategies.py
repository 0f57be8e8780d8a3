"""Hypothesis strategies and small builders shared by the lending tests."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from lending.policy import load_policy
from lending.schemas import ApplicantProfile, LoanRequest, RiskAssessment

POLICY = load_policy()
TIER_PD = {"A": 0.02, "B": 0.07, "C": 0.15, "D": 0.25, "E": 0.5}


def applicant(**overrides: Any) -> ApplicantProfile:
    """Return a creditworthy applicant; override fields per test."""
    base: dict[str, Any] = {
        "age": 35,
        "annual_income": Decimal(72000),
        "monthly_debt_payments": Decimal(600),
        "credit_score": 720,
        "employment_status": "Employed",
        "years_employed": 5,
        "savings_balance": Decimal(5000),
        "checking_balance": Decimal(2000),
        "home_ownership": "Rent",
        "marital_status": "Single",
        "num_dependents": 1,
        "education_level": "Bachelor's",
        "existing_loans": 1,
    }
    base.update(overrides)
    return ApplicantProfile(**base)


def risk(tier: str = "B", model_version: str = "test-model") -> RiskAssessment:
    """Return a risk assessment in `tier`."""
    return RiskAssessment(
        probability_of_default=TIER_PD[tier], risk_tier=tier, model_version=model_version
    )


def score_based_assess(a: ApplicantProfile, r: LoanRequest) -> RiskAssessment:
    """A deterministic stand-in for the model: risk falls with score and with DTI headroom."""
    score = a.credit_score or 600
    dti = float(a.monthly_debt_payments * 12 / (a.annual_income or 1))
    pd = max(0.01, min(0.9, 0.3 - (score - 600) * 0.002 + 0.3 * max(0.0, dti - 0.3)))
    tier = "A" if pd < 0.05 else "B" if pd < 0.1 else "C" if pd < 0.2 else "D" if pd < 0.35 else "E"
    return RiskAssessment(probability_of_default=pd, risk_tier=tier, model_version="toy")


def money(lo: float, hi: float) -> st.SearchStrategy[Decimal]:
    """Decimal USD with cents in [lo, hi]."""
    return st.integers(int(lo * 100), int(hi * 100)).map(lambda c: Decimal(c) / 100)


@st.composite
def applicants(draw: st.DrawFn) -> ApplicantProfile:
    """Applicants across the space the rules care about (incl. failing ones)."""
    return applicant(
        age=draw(st.integers(18, 80)),
        annual_income=draw(money(12_000, 250_000)),
        monthly_debt_payments=draw(money(0, 4_000)),
        credit_score=draw(st.integers(549, 850).map(lambda x: None if x == 549 else x)),
        employment_status=draw(st.sampled_from(["Employed", "Self-Employed", "Retired"])),
        marital_status=draw(st.sampled_from(["Single", "Married", "Divorced", "Widowed", None])),
    )


@st.composite
def requests(draw: st.DrawFn, product: str | None = None) -> LoanRequest:
    """In-range requests for any product (gold ones with a pledged value)."""
    name = product or draw(st.sampled_from(sorted(POLICY.products)))
    spec = POLICY.products[name]
    amount = draw(money(float(spec.amount.min), float(spec.amount.max)))
    tenure = draw(st.integers(spec.tenure_months.min, spec.tenure_months.max))
    gold = None
    if spec.max_ltv_pct is not None:
        gold = (amount * draw(st.integers(90, 250)) / 100).quantize(Decimal("0.01"))
    co = draw(st.one_of(st.none(), money(0, 80_000)))
    return LoanRequest(
        product=name,
        amount=amount,
        tenure_months=tenure,
        gold_value=gold,
        co_borrower_annual_income=co,
    )


@st.composite
def eligible_applicants(draw: st.DrawFn) -> ApplicantProfile:
    """Applicants who pass the applicant-level rules of every product except, at times, DTI."""
    return applicant(
        age=draw(st.integers(21, 75)),
        annual_income=draw(money(60_000, 250_000)),
        monthly_debt_payments=draw(money(0, 2_500)),
        credit_score=draw(st.integers(700, 850)),
        marital_status=draw(st.sampled_from(["Single", "Married", "Divorced", "Widowed", None])),
    )


#: Mostly eligible applicants, so properties exercise offers, not only refusals.
any_applicants = st.one_of(eligible_applicants(), eligible_applicants(), applicants())
tiers = st.sampled_from(["A", "B", "C", "D", "E"]).map(risk)
good_tiers = st.sampled_from(["A", "A", "B", "C", "D", "E"]).map(risk)
