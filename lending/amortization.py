"""Level-payment amortisation (the "EMI" formula) and its schedule."""

from __future__ import annotations

from decimal import Decimal, getcontext

from pydantic import BaseModel, Field

from lending.money import to_cents

getcontext().prec = 34  # enough that (1 + r)^360 keeps every cent exact


def monthly_payment(principal: Decimal, annual_rate_pct: Decimal, months: int) -> Decimal:
    """Return the level monthly instalment, rounded half-up to the cent.

    payment = P * r / (1 - (1 + r) ** -n) with r the monthly rate (annual % / 1200);
    at a zero rate the principal is simply split evenly.
    """
    if principal <= 0:
        raise ValueError("principal must be positive")
    if months <= 0:
        raise ValueError("months must be positive")
    if annual_rate_pct < 0:
        raise ValueError("rate cannot be negative")
    r = Decimal(annual_rate_pct) / Decimal(1200)
    if r == 0:
        return to_cents(Decimal(principal) / months)
    factor = (1 + r) ** months
    return to_cents(Decimal(principal) * r * factor / (factor - 1))


class ScheduleRow(BaseModel):
    """One month of an amortisation schedule; amounts in USD."""

    month: int = Field(ge=1)
    payment: Decimal
    interest: Decimal
    principal: Decimal
    balance: Decimal


def schedule(principal: Decimal, annual_rate_pct: Decimal, months: int) -> list[ScheduleRow]:
    """Return the month-by-month schedule; the last payment absorbs rounding, ending at 0."""
    pay = monthly_payment(principal, annual_rate_pct, months)
    r = Decimal(annual_rate_pct) / Decimal(1200)
    balance = Decimal(principal)
    rows: list[ScheduleRow] = []
    for month in range(1, months + 1):
        interest = to_cents(balance * r)
        this_payment = pay if month < months else to_cents(balance + interest)
        principal_part = this_payment - interest
        balance = to_cents(balance - principal_part)
        rows.append(
            ScheduleRow(
                month=month,
                payment=this_payment,
                interest=interest,
                principal=principal_part,
                balance=balance,
            )
        )
    return rows


def total_interest(principal: Decimal, annual_rate_pct: Decimal, months: int) -> Decimal:
    """Return the interest paid over the life of the loan, from the exact schedule."""
    return sum((row.interest for row in schedule(principal, annual_rate_pct, months)), Decimal(0))
