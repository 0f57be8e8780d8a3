from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lending.amortization import (
    amount_for_payment,
    apr_pct,
    monthly_payment,
    schedule,
    total_interest,
)


@pytest.mark.parametrize(
    ("principal", "rate", "months", "expected"),
    [
        # Published reference values (standard EMI tables).
        ("20000", "8.65", 48, "494.38"),
        ("100000", "6", 360, "599.55"),
        ("200000", "4.5", 360, "1013.37"),
        ("10000", "12", 12, "888.49"),
        ("12000", "0", 12, "1000.00"),
    ],
)
def test_payment_matches_known_values(principal, rate, months, expected):
    assert monthly_payment(Decimal(principal), Decimal(rate), months) == Decimal(expected)


@given(
    principal=st.integers(min_value=1_000, max_value=500_000),
    rate_bp=st.integers(min_value=0, max_value=3000),
    months=st.integers(min_value=1, max_value=360),
)
def test_schedule_repays_exactly(principal, rate_bp, months):
    rate = Decimal(rate_bp) / 100
    rows = schedule(Decimal(principal), rate, months)
    assert len(rows) == months
    assert rows[-1].balance == Decimal("0.00")
    assert sum(r.principal for r in rows) == Decimal(principal)
    # Every payment but the last is the level payment; the last absorbs the rounding of the
    # level payment and of each month's interest (each at most half a cent a month,
    # compounded at the loan's rate).
    level = monthly_payment(Decimal(principal), rate, months)
    assert all(r.payment == level for r in rows[:-1])
    drift = Decimal("0.01") * months * (1 + rate / 1200) ** months + Decimal("0.01")
    assert abs(rows[-1].payment - level) <= drift


def test_total_interest_is_payments_minus_principal():
    interest = total_interest(Decimal(20000), Decimal("8.65"), 48)
    rows = schedule(Decimal(20000), Decimal("8.65"), 48)
    assert interest == sum(r.payment for r in rows) - Decimal(20000)


@pytest.mark.parametrize(("p", "r", "n"), [(0, 5, 12), (1000, -1, 12), (1000, 5, 0)])
def test_rejects_nonsense(p, r, n):
    with pytest.raises(ValueError):
        monthly_payment(Decimal(p), Decimal(r), n)


def test_interest_ties_round_half_up_exactly():
    # $6.00 at 7%: 6 x 7 / 1200 = 0.035 exactly, a tie -> 0.04 half-up. A 34-digit decimal
    # monthly rate (7/1200 = 0.0058333...) would give 0.0349999... and round down to 0.03.
    rows = schedule(Decimal("6.00"), Decimal(7), 2)
    assert rows[0].interest == Decimal("0.04")


@given(
    principal=st.integers(min_value=1_000, max_value=500_000),
    rate_bp=st.integers(min_value=1, max_value=3000),
    months=st.integers(min_value=1, max_value=360),
)
def test_amount_for_payment_inverts_the_payment(principal, rate_bp, months):
    rate = Decimal(rate_bp) / 100
    pay = monthly_payment(Decimal(principal), rate, months)
    back = amount_for_payment(pay, rate, months)
    # the payment was rounded to the cent: the inverse is within a cent's present value
    assert abs(back - principal) <= Decimal("0.005") * months + Decimal("0.01")


def _apr_by_bisection(net: float, pay: float, months: int) -> float:
    lo, hi = 0.0, 1.0
    for _ in range(200):
        mid = (lo + hi) / 2
        pv = pay * (1 - (1 + mid) ** -months) / mid if mid else pay * months
        lo, hi = (mid, hi) if pv > net else (lo, mid)
    return lo * 1200


@given(
    principal=st.integers(min_value=1_000, max_value=500_000),
    rate_bp=st.integers(min_value=100, max_value=3000),
    months=st.integers(min_value=6, max_value=360),
    fee_bp=st.integers(min_value=0, max_value=300),
)
def test_apr_matches_an_independent_solver(principal, rate_bp, months, fee_bp):
    rate = Decimal(rate_bp) / 100
    amount = Decimal(principal)
    fee = (amount * fee_bp / 10000).quantize(Decimal("0.01"))
    pay = monthly_payment(amount, rate, months)
    apr = apr_pct(amount, fee, pay, months)
    assert abs(float(apr) - _apr_by_bisection(float(amount - fee), float(pay), months)) <= 0.006
    if fee == 0:
        assert abs(apr - rate) <= Decimal("0.02")
    else:
        assert apr >= rate


def test_apr_known_value():
    # $10,000, $200 fee, 12% for 36 months: payment 332.14; the APR discounting 36 x 332.14
    # to the $9,800 disbursed is 13.4101% (checked by hand with bisection to 1e-12).
    pay = monthly_payment(Decimal(10000), Decimal(12), 36)
    assert pay == Decimal("332.14")
    assert apr_pct(Decimal(10000), Decimal(200), pay, 36) == Decimal("13.41")
