"""A standard-rate quote: the walking skeleton's offer, before risk-based pricing exists."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Field

from core.errors import ValidationFailed
from lending.amortization import monthly_payment
from lending.money import to_cents

POLICY_PATH = Path(__file__).with_name("policy_v1.yaml")


@lru_cache(maxsize=1)
def _policy() -> dict[str, Any]:
    with POLICY_PATH.open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data


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
    """Price `amount` over `tenure_months` at the product's mid-range rate, inside policy bounds."""
    policy = _policy()
    spec = policy["products"].get(product)
    if spec is None:
        raise ValidationFailed(
            f"unknown product {product!r}; choose one of {', '.join(policy['products'])}",
            field="product",
        )
    lo, hi = Decimal(spec["amount"]["min"]), Decimal(spec["amount"]["max"])
    if not lo <= amount <= hi:
        raise ValidationFailed(
            f"amount must be between ${lo:,.0f} and ${hi:,.0f} for a {spec['label']}",
            field="amount",
        )
    tmin, tmax = spec["tenure_months"]["min"], spec["tenure_months"]["max"]
    if not tmin <= tenure_months <= tmax:
        raise ValidationFailed(
            f"tenure must be between {tmin} and {tmax} months for a {spec['label']}",
            field="tenure_months",
        )
    rate = to_cents(
        (Decimal(spec["annual_rate_pct"]["min"]) + Decimal(spec["annual_rate_pct"]["max"])) / 2
    )
    payment = monthly_payment(amount, rate, tenure_months)
    return Quote(
        product=product,
        amount=to_cents(amount),
        tenure_months=tenure_months,
        annual_rate_pct=rate,
        monthly_payment=payment,
        total_interest=to_cents(payment * tenure_months - amount),
        policy_version=str(policy["version"]),
    )
