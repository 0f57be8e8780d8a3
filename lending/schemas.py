"""Inputs to and outputs of the lending core, with units stated on every field.

ApplicantProfile, LoanRequest and RiskAssessment follow /work/team/CONTRACTS.md. Money is
`Decimal` USD rounded half-up to the cent; rates are percent per year rounded half-up to
0.01 percentage points; DTI is percent of gross monthly income.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from lending.amortization import ScheduleRow, schedule
from lending.policy import Outcome, Tier

# The product names as a static type (schemas and tool signatures); the catalogue itself is
# lending.policy, and a unit test keeps the two equal.
ProductName = Literal["car", "home", "gold", "education", "personal", "medical"]
OfferKind = Literal["requested", "shorter", "lower_payment", "largest_affordable", "negotiated"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ApplicantProfile(_Model):
    """Who is asking. age and marital_status are protected: never used to advise a change."""

    age: int = Field(ge=18, le=100, description="years (protected attribute)")
    annual_income: Decimal = Field(gt=0, le=100_000_000, description="gross income, USD/year")
    monthly_debt_payments: Decimal = Field(
        ge=0, le=10_000_000, description="existing obligations, USD/month"
    )
    credit_score: int | None = Field(default=None, ge=300, le=850, description="FICO-like score")
    employment_status: Literal["Employed", "Self-Employed", "Unemployed", "Retired"]
    years_employed: int = Field(ge=0, le=60, description="years in current employment")
    savings_balance: Decimal = Field(description="USD")
    checking_balance: Decimal = Field(description="USD")
    home_ownership: Literal["Rent", "Own", "Mortgage"]
    marital_status: Literal["Single", "Married", "Divorced", "Widowed"] | None = Field(
        default=None, description="protected: never used to decide"
    )
    num_dependents: int = Field(ge=0, le=20)
    education_level: Literal["High School", "Bachelor's", "Master's", "PhD"]
    existing_loans: int = Field(ge=0, le=20, description="count of open loans")


class LoanRequest(_Model):
    """What is asked for."""

    product: ProductName
    amount: Decimal = Field(gt=0, le=10_000_000, description="principal, USD")
    tenure_months: int = Field(ge=1, le=600, description="term, months")
    gold_value: Decimal | None = Field(
        default=None, gt=0, description="market value of pledged gold, USD (gold loans)"
    )
    co_borrower_annual_income: Decimal | None = Field(
        default=None,
        ge=0,
        description="gross income of a co-borrower, USD/year; counted in income and DTI",
    )


class RiskAssessment(_Model):
    """What the scoring model said about the applicant."""

    probability_of_default: float = Field(ge=0, le=1, description="probability, 0..1")
    risk_tier: Tier = Field(description="A (best) .. E, cutoffs in scoring/tiers.py")
    model_version: str
    reasons: list[str] = Field(default_factory=list, description="adverse-action reason texts")


ReasonCode = Literal[
    "AGE_BELOW_MIN",
    "CREDIT_SCORE_BELOW_MIN",
    "CREDIT_SCORE_MISSING",
    "ANNUAL_INCOME_BELOW_MIN",
    "MONTHLY_INCOME_BELOW_MIN",
    "DTI_ABOVE_MAX",
    "LTV_ABOVE_MAX",
    "RISK_TIER",
    "MODEL_REASON",
    # limits named by negotiation
    "AMOUNT_ABOVE_MAX",
    "AMOUNT_BELOW_MIN",
    "TENURE_ABOVE_MAX",
    "TENURE_BELOW_MIN",
    "RATE_BELOW_FLOOR",
    "NOT_OFFERABLE",
]


class Reason(_Model):
    """One rule's verdict; `limit` and `actual` are in the unit the message names."""

    code: ReasonCode
    message: str
    field: str | None = Field(default=None, description="input field the rule reads")
    limit: str | None = Field(default=None, description="the policy threshold")
    actual: str | None = Field(default=None, description="the applicant's value")


class Versions(_Model):
    """Which policy and model produced a result, for replay."""

    policy_version: str
    policy_hash: str = Field(description="SHA-256 of the policy file")
    model_version: str


class Offer(_Model):
    """A priced, policy-checked loan option."""

    kind: OfferKind = Field(description="why this option exists")
    product: ProductName
    amount: Decimal = Field(description="principal, USD")
    tenure_months: int = Field(description="months")
    annual_rate_pct: Decimal = Field(description="nominal annual rate, percent, 0.01 steps")
    apr_pct: Decimal = Field(description="annual percentage rate incl. fees, percent, 0.01")
    monthly_payment: Decimal = Field(description="level instalment, USD, half-up cents")
    total_interest: Decimal = Field(description="interest over the exact schedule, USD")
    fees: Decimal = Field(description="origination fee, USD, deducted at disbursement")
    total_repayment: Decimal = Field(description="all instalments, USD")
    total_cost: Decimal = Field(description="total interest + fees: the cost of credit, USD")
    dti_pct: Decimal = Field(description="DTI incl. this payment, percent, 0.01")
    late_fee: Decimal = Field(description="fee for one missed instalment, USD")
    risk_tier: Tier
    versions: Versions

    def schedule(self) -> list[ScheduleRow]:
        """Return the month-by-month amortisation schedule (computed on demand)."""
        return schedule(self.amount, self.annual_rate_pct, self.tenure_months)


class Decision(_Model):
    """The verdict on a request exactly as asked, with every reason."""

    outcome: Outcome
    reasons: list[Reason] = Field(description="every failed rule, then risk reasons")
    product: ProductName
    amount: Decimal = Field(description="requested principal, USD")
    tenure_months: int
    risk_tier: Tier
    probability_of_default: float
    annual_rate_pct: Decimal = Field(description="rate priced for the tier, percent")
    monthly_payment: Decimal = Field(description="payment for the request, USD")
    dti_pct: Decimal = Field(description="DTI incl. the new payment, percent")
    max_dti_pct: Decimal = Field(description="effective DTI cap, percent")
    required_documents: list[str] = Field(description="for conditional approvals")
    versions: Versions


class OfferSet(_Model):
    """The decision on the request and the options we can make."""

    decision: Decision
    offers: list[Offer] = Field(description="affordable, in-policy options; may be empty")
    note: str = Field(description="one sentence on how the options were chosen")


NegotiationKind = Literal[
    "payment", "rate", "tenure", "longer", "shorter", "amount", "more", "less"
]


class NegotiationAsk(_Model):
    """An applicant's ask, as the agent understood it.

    value by kind: payment = target max monthly payment (USD/month); rate = target annual
    rate (percent); tenure = target term (months); longer/shorter = months to add/remove
    (default: the policy's tenure step); amount = target principal (USD); more/less = USD to
    add/remove.
    """

    kind: NegotiationKind
    value: Decimal | None = Field(default=None, gt=0)


class NegotiationResult(_Model):
    """Whether the ask can be met, the offer that meets it, or why not and what is nearest."""

    ask: NegotiationAsk
    met: bool
    offer: Offer | None = Field(default=None, description="best in-policy offer meeting the ask")
    binding_limit: Reason | None = Field(default=None, description="the limit that prevents it")
    alternative: Offer | None = Field(default=None, description="nearest in-policy offer")
    explanation: str


class ComparisonRow(_Model):
    """One offer in a side-by-side, with pros and cons derived from the numbers."""

    offer: Offer
    pros: list[str]
    cons: list[str]


class Comparison(_Model):
    """Side-by-side of offers; the best_* fields index into rows."""

    rows: list[ComparisonRow]
    best_payment: int = Field(description="index of the lowest monthly payment")
    best_total_cost: int = Field(description="index of the lowest total cost")
    fastest_payoff: int = Field(description="index of the shortest tenure")


Lever = Literal["amount", "tenure", "debt_paydown", "co_borrower", "credit_score", "gold_value"]


class Change(_Model):
    """One input changed by a suggestion; values in the field's own unit."""

    lever: Lever
    target: Literal["applicant", "request"] = Field(description="which input holds the field")
    field: str
    current_value: Decimal | None
    new_value: Decimal
    change: Decimal = Field(description="new_value - current_value")


class ImprovementSuggestion(_Model):
    """Changes that, applied together, turn the decision into an approval (verified).

    One change when a single lever suffices; two when every single lever fails (e.g. a low
    credit score and an unaffordable payment at once).
    """

    changes: list[Change] = Field(min_length=1, max_length=2)
    message: str
    resulting_outcome: Outcome
