"""The indicative quote: a loan priced at the product's standard rate, before any credit check."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from langchain_core.tools import tool
from pydantic import Field

from lending.quote import standard_quote
from lending.schemas import ProductName


@tool
def quote_loan(
    product: ProductName,
    amount: Annotated[float, Field(gt=0, le=10_000_000, description="principal in USD")],
    tenure_months: Annotated[int, Field(ge=1, le=480, description="loan term in months")],
) -> dict[str, Any]:
    """Price a loan at our standard rate: annual rate, monthly payment and total interest.

    Use this when the applicant names a product, an amount and a term but has not
    applied yet. It is indicative (no credit check). Quote only the numbers it returns.
    """
    quote = standard_quote(product, Decimal(str(amount)), tenure_months)
    return quote.model_dump(mode="json")
