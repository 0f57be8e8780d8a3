"""Level-payment amortisation (the "EMI" formula) and its schedule.

Rounding: the level payment is rounded half-up to the cent; each month's interest is the
exact rational balance x annual% / 1200, rounded half-up to the cent (integer-cent arithmetic,
so no binary or 34-digit rounding can move a tie); the last payment absorbs the accumulated
rounding so the balance ends at exactly 0.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal, getcontext
from fractions import Fraction

from pydantic import BaseModel, Field

from lending.money import to_cents

getcontext().prec = 34  # enough that (1 + r)^360 keeps every cent exact

_CENT = Decimal("0.01")


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
    balance: Decimal = Field(description="outstanding after this payment, USD")


def _rows_cents(
    principal: Decimal, annual_rate_pct: Decimal, months: int
) -> Iterator[tuple[int, int, int, int]]:
    """Yield (payment, interest, principal, balance) per month, in integer cents."""
    pay = int(monthly_payment(principal, annual_rate_pct, months) * 100)
    rate = Fraction(annual_rate_pct) / 1200
    num, den = rate.numerator, rate.denominator
    balance = int(to_cents(principal) * 100)
    for month in range(1, months + 1):
        interest = (2 * balance * num + den) // (2 * den)  # half-up, balance >= 0
        this_payment = pay if month < months else balance + interest
        principal_part = this_payment - interest
        balance -= principal_part
        yield this_payment, interest, principal_part, balance


def schedule(principal: Decimal, annual_rate_pct: Decimal, months: int) -> list[ScheduleRow]:
    """Return the month-by-month schedule; the last payment absorbs rounding, ending at 0."""
    return [
        ScheduleRow(
            month=i,
            payment=Decimal(p) * _CENT,
            interest=Decimal(it) * _CENT,
            principal=Decimal(pr) * _CENT,
            balance=Decimal(b) * _CENT,
        )
        for i, (p, it, pr, b) in enumerate(_rows_cents(principal, annual_rate_pct, months), 1)
    ]


def total_interest(principal: Decimal, annual_rate_pct: Decimal, months: int) -> Decimal:
    """Return the interest paid over the life of the loan, from the exact schedule."""
    cents = sum(row[1] for row in _rows_cents(principal, annual_rate_pct, months))
    return Decimal(cents) * _CENT


def amount_for_payment(payment: Decimal, annual_rate_pct: Decimal, months: int) -> Decimal:
    """Return the principal whose level payment is `payment` (present value, unrounded USD).

    Callers round the result down to their step and re-check the rounded payment, because
    the payment is rounded to the cent.
    """
    if months <= 0:
        raise ValueError("months must be positive")
    if payment <= 0:
        return Decimal(0)
    r = Decimal(annual_rate_pct) / Decimal(1200)
    if r == 0:
        return Decimal(payment) * months
    factor = (1 + r) ** months
    return Decimal(payment) * (factor - 1) / (r * factor)


def apr_pct(amount: Decimal, fee: Decimal, payment: Decimal, months: int) -> Decimal:
    """Return the APR (percent, 0.01) for a loan disbursing `amount - fee`, repaid by `payment`.

    The APR is the nominal annual rate at which the level payments discount to the net
    proceeds (US Regulation Z actuarial method, monthly unit period). Solved by Newton's
    method in floating point: Reg Z tolerates 1/8 point, and we report to 0.01.
    """
    net = float(amount - fee)
    pay = float(payment)
    if net <= 0 or pay <= 0:
        raise ValueError("net proceeds and payment must be positive")
    if pay * months <= net:
        return Decimal("0.00")
    r = max(1e-6, 2 * (pay * months - net) / (net * months))  # flat-rate start, near the root
    for _ in range(50):
        f_growth = (1 + r) ** -months
        pv = pay * (1 - f_growth) / r
        dpv = pay * (months * f_growth / (1 + r) / r - (1 - f_growth) / (r * r))
        step = (pv - net) / dpv
        r -= step
        if abs(step) < 1e-12:
            break
    return to_cents(Decimal(repr(r * 1200)))
