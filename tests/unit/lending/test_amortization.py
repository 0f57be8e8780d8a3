from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lending.amortization import monthly_payment, schedule, total_interest


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
    # level payment (at most half a cent a month, compounded at the loan's rate).
    level = monthly_payment(Decimal(principal), rate, months)
    assert all(r.payment == level for r in rows[:-1])
    drift = Decimal("0.005") * months * (1 + rate / 1200) ** months + Decimal("0.01")
    assert abs(rows[-1].payment - level) <= drift


def test_total_interest_is_payments_minus_principal():
    interest = total_interest(Decimal(20000), Decimal("8.65"), 48)
    rows = schedule(Decimal(20000), Decimal("8.65"), 48)
    assert interest == sum(r.payment for r in rows) - Decimal(20000)


@pytest.mark.parametrize(("p", "r", "n"), [(0, 5, 12), (1000, -1, 12), (1000, 5, 0)])
def test_rejects_nonsense(p, r, n):
    with pytest.raises(ValueError):
        monthly_payment(Decimal(p), Decimal(r), n)
