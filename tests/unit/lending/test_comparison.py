from decimal import Decimal

import pytest

from core.errors import ValidationFailed
from lending.comparison import compare_offers
from lending.offers import make_offers
from lending.schemas import LoanRequest
from tests.unit.lending.lending_strategies import POLICY, applicant, risk


def offers():
    r = LoanRequest(product="car", amount=Decimal(25000), tenure_months=48)
    return make_offers(applicant(), r, risk("B"), POLICY).offers


def test_pros_and_cons_follow_the_numbers():
    requested, shorter, lower = offers()
    cmp = compare_offers([requested, shorter, lower])
    assert cmp.best_payment == 2
    assert cmp.best_total_cost == 1
    assert cmp.fastest_payoff == 1
    rows = cmp.rows
    assert any("lowest monthly payment" in p for p in rows[2].pros)
    assert any("lowest total cost" in p for p in rows[1].pros)
    extra = lower.total_cost - shorter.total_cost
    assert f"costs ${extra:,.2f} more in interest and fees" in rows[2].cons
    gap = shorter.monthly_payment - lower.monthly_payment
    assert f"${gap:,.2f} more per month than the lowest" in rows[1].cons
    assert f"{lower.tenure_months - shorter.tenure_months} months longer in debt" in rows[2].cons


def test_identical_offers_have_no_pros_or_cons():
    o = offers()[0]
    cmp = compare_offers([o, o])
    assert all(not r.pros and not r.cons for r in cmp.rows)


def test_empty_comparison_is_a_typed_error():
    with pytest.raises(ValidationFailed):
        compare_offers([])
