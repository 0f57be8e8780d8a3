from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lending.eligibility import fits_dti
from lending.offers import build_offer, in_policy, make_offers
from lending.schemas import LoanRequest
from tests.unit.lending.lending_strategies import (
    POLICY,
    any_applicants,
    applicant,
    good_tiers,
    requests,
    risk,
)

PROPS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def formula_payment(amount: Decimal, rate: Decimal, months: int) -> Decimal:
    """The EMI formula in exact rationals, rounded half-up to the cent (an independent oracle)."""
    r = Fraction(rate) / 1200
    p = Fraction(amount)
    exact = p / months if r == 0 else p * r / (1 - (1 + r) ** -months)
    return Decimal(exact.numerator) / Decimal(exact.denominator)


def cents(x: Decimal) -> Decimal:
    return x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@PROPS
@given(a=any_applicants, r=requests(), k=good_tiers)
def test_every_offer_is_in_policy_affordable_and_exact(a, r, k):
    result = make_offers(a, r, k, POLICY)
    for offer in result.offers:
        assert in_policy(offer, a, r, k, POLICY)
        spec = POLICY.products[offer.product]
        assert spec.amount.min <= offer.amount <= spec.amount.max
        assert spec.tenure_months.min <= offer.tenure_months <= spec.tenure_months.max
        terms = r.model_copy(update={"amount": offer.amount, "tenure_months": offer.tenure_months})
        assert fits_dti(a, terms, offer.monthly_payment, POLICY)
        assert offer.dti_pct <= POLICY.max_dti_pct(offer.product)
        assert offer.monthly_payment == cents(
            formula_payment(offer.amount, offer.annual_rate_pct, offer.tenure_months)
        )
        assert offer.total_cost == offer.total_interest + offer.fees
        assert offer.apr_pct >= offer.annual_rate_pct - Decimal("0.01")
        assert offer.versions.policy_hash == POLICY.hash
    if result.decision.outcome in ("approved", "conditionally_approved"):
        assert result.offers[0].kind == "requested"
    if result.decision.outcome == "referred":
        assert result.offers == []


@PROPS
@given(a=any_applicants, r=requests(), k=good_tiers)
def test_largest_affordable_is_the_largest(a, r, k):
    result = make_offers(a, r, k, POLICY)
    for offer in result.offers:
        if offer.kind != "largest_affordable":
            continue
        assert offer.amount < r.amount
        bigger = offer.amount + POLICY.offers.amount_step
        terms = r.model_copy(update={"amount": bigger, "tenure_months": offer.tenure_months})
        if bigger <= min(r.amount, POLICY.products[r.product].amount.max):
            priced = build_offer("requested", a, terms, k, POLICY, rate=offer.annual_rate_pct)
            assert not in_policy(priced, a, terms, k, POLICY)


def test_approved_request_gets_requested_shorter_and_lower_payment_options():
    r = LoanRequest(product="car", amount=Decimal(25000), tenure_months=48)
    result = make_offers(applicant(), r, risk("B"), POLICY)
    kinds = [o.kind for o in result.offers]
    assert kinds == ["requested", "shorter", "lower_payment"]
    requested, shorter, lower = result.offers
    assert shorter.tenure_months < 48 < lower.tenure_months
    assert lower.monthly_payment < requested.monthly_payment < shorter.monthly_payment
    assert shorter.total_cost < requested.total_cost < lower.total_cost
    assert requested.annual_rate_pct == Decimal("8.25")
    assert requested.fees == Decimal("250.00")  # 1% origination on a car loan
    assert requested.late_fee == Decimal("30.66")  # 5% of $613.26


def test_partly_affordable_request_gets_counter_offers():
    r = LoanRequest(product="car", amount=Decimal(50000), tenure_months=36)
    result = make_offers(applicant(), r, risk("B"), POLICY)
    assert result.decision.outcome == "declined"
    assert [x.code for x in result.decision.reasons] == ["DTI_ABOVE_MAX"]
    kinds = {o.kind: o for o in result.offers}
    assert kinds["lower_payment"].amount == Decimal(50000)
    assert kinds["lower_payment"].tenure_months > 36
    assert kinds["largest_affordable"].tenure_months == 36
    assert kinds["largest_affordable"].amount % 100 == 0


def test_rule_failures_get_no_offers():
    r = LoanRequest(product="car", amount=Decimal(20000), tenure_months=48)
    result = make_offers(applicant(credit_score=600), r, risk("A"), POLICY)
    assert result.offers == []


def test_gold_counter_offer_respects_ltv():
    r = LoanRequest(
        product="gold", amount=Decimal(9000), tenure_months=24, gold_value=Decimal(10000)
    )
    result = make_offers(applicant(), r, risk("A"), POLICY)
    assert [o.kind for o in result.offers] == ["largest_affordable"]
    assert result.offers[0].amount == Decimal(7500)


@given(tier=st.sampled_from("ABCDE"))
def test_offer_schedule_is_on_demand_and_consistent(tier):
    r = LoanRequest(product="car", amount=Decimal(20000), tenure_months=24)
    result = make_offers(applicant(), r, risk(tier), POLICY)
    for offer in result.offers:
        rows = offer.schedule()
        assert len(rows) == offer.tenure_months
        assert sum(x.interest for x in rows) == offer.total_interest
        assert sum(x.payment for x in rows) == offer.total_repayment
