"""A standard-rate quote: the walking skeleton's offer, before risk-based pricing exists."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, Field

from core.errors import ValidationFailed
from lending.amortization import monthly_payment
from lending.eligibility import check_terms
from lending.money import to_cents
from lending.policy import POLICY_PATH, load_policy

__all__ = ["POLICY_PATH", "Quote", "standard_quote"]


class Quote(BaseModel):
    """A priced loan at the product's standard (mid-range) rate; amounts in USD."""

    product: str
    amount: Decimal = Field(description="principal, USD")
    tenure_months: int
    annual_rate_pct: Decimal = Field(description="nominal annual rate, percent")
    monthly_payment: Decimal = Field(description="level monthly instalment, USD, half-up cents")
    total_interest: Decimal = Field(description="payments minus principal, USD")
    policy_version: str


def standard_quote(product: str, amount: Decimal, tenure_months: int) -> Quote:
    """Price `amount` over `tenure_months` at the product's mid-range rate, inside policy bounds.

    Kept for the walking skeleton; risk-based offers come from `lending.offers.make_offers`.
    """
    policy = load_policy()
    spec = policy.product(product)  # ValidationFailed(field="product") if unknown
    if amount <= 0:
        raise ValidationFailed("amount must be positive", field="amount")
    check_terms(policy, product, amount, tenure_months)
    rate = to_cents((spec.annual_rate_pct.min + spec.annual_rate_pct.max) / 2)
    payment = monthly_payment(amount, rate, tenure_months)
    return Quote(
        product=product,
        amount=to_cents(amount),
        tenure_months=tenure_months,
        annual_rate_pct=rate,
        monthly_payment=payment,
        total_interest=to_cents(payment * tenure_months - amount),
        policy_version=policy.version,
    )
