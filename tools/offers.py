"""Offer tools the advisor calls."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from langchain_core.tools import tool
from pydantic import Field

from lending.quote import standard_quote

Product = Literal["car", "home", "gold", "education", "personal", "medical"]


@tool
def make_offer(
    product: Product,
    amount: Annotated[float, Field(gt=0, le=10_000_000, description="principal in USD")],
    tenure_months: Annotated[int, Field(ge=1, le=480, description="loan term in months")],
) -> dict[str, Any]:
    """Price a loan: returns the annual rate, the monthly payment and the total interest.

    Use this whenever the applicant names a product, an amount and a term. Quote
    only the numbers this tool returns; never compute payments yourself.
    """
    quote = standard_quote(product, Decimal(str(amount)), tenure_months)
    return quote.model_dump(mode="json")
