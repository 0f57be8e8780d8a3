from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import ValidationFailed
from lending.negotiation import negotiate
from lending.offers import in_policy
from lending.schemas import LoanRequest, NegotiationAsk, NegotiationResult, Offer, Reason
from tests.unit.lending.lending_strategies import (
    POLICY,
    any_applicants,
    applicant,
    good_tiers,
    requests,
    risk,
)


def _offer(r: NegotiationResult) -> Offer:
    assert r.offer is not None
    return r.offer


def _alt(r: NegotiationResult) -> Offer:
    assert r.alternative is not None
    return r.alternative


def _limit(r: NegotiationResult) -> Reason:
    assert r.binding_limit is not None
    return r.binding_limit


REQ = LoanRequest(product="car", amount=Decimal(25000), tenure_months=48)

asks = st.one_of(
    st.builds(NegotiationAsk, kind=st.just("payment"), value=st.integers(50, 5000).map(Decimal)),
    st.builds(
        NegotiationAsk,
        kind=st.just("rate"),
        value=st.integers(100, 2500).map(lambda b: Decimal(b) / 100),
    ),
    st.builds(NegotiationAsk, kind=st.just("tenure"), value=st.integers(1, 400).map(Decimal)),
    st.builds(
        NegotiationAsk,
        kind=st.sampled_from(["longer", "shorter"]),
        value=st.one_of(st.none(), st.integers(1, 120).map(Decimal)),
    ),
    st.builds(
        NegotiationAsk,
        kind=st.sampled_from(["amount", "more", "less"]),
        value=st.integers(100, 200_000).map(Decimal),
    ),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(a=any_applicants, r=requests(), k=good_tiers, ask=asks)
def test_negotiation_never_leaves_policy(a, r, k, ask):
    result = negotiate(a, r, k, ask, POLICY)
    assert result.met == (result.offer is not None)
    for offer in (result.offer, result.alternative):
        if offer is not None:
            assert in_policy(offer, a, r, k, POLICY)
            assert offer.annual_rate_pct >= POLICY.floor_rate(r.product, k.risk_tier)
    if not result.met:
        assert result.binding_limit is not None
        assert result.explanation
    if result.met and ask.kind == "payment":
        assert _offer(result).monthly_payment <= ask.value
    if result.met and ask.kind == "rate":
        assert _offer(result).annual_rate_pct <= max(
            ask.value, POLICY.priced_rate(r.product, k.risk_tier)
        )


def test_payment_target_is_met_by_the_shortest_longer_term():
    result = negotiate(
        applicant(), REQ, risk("B"), NegotiationAsk(kind="payment", value=Decimal(400)), POLICY
    )
    assert result.met
    assert _offer(result).monthly_payment <= 400
    shorter = REQ.model_copy(update={"tenure_months": _offer(result).tenure_months - 1})
    from lending.amortization import monthly_payment

    assert (
        monthly_payment(shorter.amount, _offer(result).annual_rate_pct, shorter.tenure_months) > 400
    )


def test_unreachable_payment_names_the_term_limit_and_a_smaller_loan():
    result = negotiate(
        applicant(), REQ, risk("B"), NegotiationAsk(kind="payment", value=Decimal(200)), POLICY
    )
    assert not result.met
    assert _limit(result).code == "TENURE_ABOVE_MAX"
    assert _limit(result).limit == "84"
    assert _alt(result).monthly_payment <= 200
    assert _alt(result).amount < REQ.amount


def test_rate_ask_within_the_floor_is_granted():
    floor = POLICY.floor_rate("car", "B")
    result = negotiate(
        applicant(), REQ, risk("B"), NegotiationAsk(kind="rate", value=floor), POLICY
    )
    assert result.met and _offer(result).annual_rate_pct == floor


def test_rate_ask_below_the_floor_explains_and_offers_the_floor():
    result = negotiate(
        applicant(), REQ, risk("B"), NegotiationAsk(kind="rate", value=Decimal(7)), POLICY
    )
    assert not result.met
    assert _limit(result).code == "RATE_BELOW_FLOOR"
    assert _alt(result).annual_rate_pct == POLICY.floor_rate("car", "B")
    assert "tier B" in result.explanation


def test_longer_beyond_the_product_max_is_refused_with_the_max():
    result = negotiate(
        applicant(), REQ, risk("B"), NegotiationAsk(kind="tenure", value=Decimal(120)), POLICY
    )
    assert not result.met
    assert _limit(result).code == "TENURE_ABOVE_MAX"
    assert _alt(result).tenure_months == 84


def test_shorter_than_affordable_names_dti_and_the_shortest_that_fits():
    result = negotiate(
        applicant(), REQ, risk("B"), NegotiationAsk(kind="tenure", value=Decimal(12)), POLICY
    )
    assert not result.met
    assert _limit(result).code == "DTI_ABOVE_MAX"
    assert 12 < _alt(result).tenure_months < 48


def test_more_than_the_cap_offers_the_cap():
    result = negotiate(
        applicant(), REQ, risk("B"), NegotiationAsk(kind="more", value=Decimal(30000)), POLICY
    )
    assert _limit(result).code == "AMOUNT_ABOVE_MAX"
    assert _alt(result).amount == Decimal(50000)


def test_borrow_more_that_fits():
    result = negotiate(
        applicant(), REQ, risk("B"), NegotiationAsk(kind="more", value=Decimal(5000)), POLICY
    )
    assert result.met and _offer(result).amount == Decimal(30000)


def test_less_than_minimum():
    result = negotiate(
        applicant(), REQ, risk("B"), NegotiationAsk(kind="amount", value=Decimal(1000)), POLICY
    )
    assert _limit(result).code == "AMOUNT_BELOW_MIN"
    assert _alt(result).amount == Decimal(5000)


def test_no_negotiation_when_a_rule_fails():
    result = negotiate(
        applicant(credit_score=600), REQ, risk("A"), NegotiationAsk(kind="longer"), POLICY
    )
    assert not result.met
    assert _limit(result).code == "CREDIT_SCORE_BELOW_MIN"


def test_negotiation_continues_from_the_current_offer():
    first = negotiate(
        applicant(), REQ, risk("B"), NegotiationAsk(kind="rate", value=Decimal("8.00")), POLICY
    )
    second = negotiate(
        applicant(),
        REQ,
        risk("B"),
        NegotiationAsk(kind="longer", value=Decimal(12)),
        POLICY,
        first.offer,
    )
    assert _offer(second).tenure_months == 60
    assert _offer(second).annual_rate_pct == Decimal("8.00")


def test_valueless_payment_ask_is_a_typed_error():
    with pytest.raises(ValidationFailed) as err:
        negotiate(applicant(), REQ, risk("B"), NegotiationAsk(kind="payment"), POLICY)
    assert err.value.field == "value"


def test_payment_ask_above_the_dti_room_names_dti():
    a = applicant(annual_income=Decimal(60000), monthly_debt_payments=Decimal(1000))  # room $750
    big = LoanRequest(product="car", amount=Decimal(50000), tenure_months=36)
    result = negotiate(
        a, big, risk("B"), NegotiationAsk(kind="payment", value=Decimal(900)), POLICY
    )
    assert not result.met
    assert _limit(result).code == "DTI_ABOVE_MAX"
    assert _alt(result).monthly_payment <= Decimal(750)
    assert _alt(result).amount < big.amount


# -- stepped concessions on a plain "lower rate" ask ---------------------------------------
from lending.negotiation import stepped_rate  # noqa: E402
from lending.policy import RATE_STEP  # noqa: E402


@given(tier=st.sampled_from(["A", "B", "C"]), product=st.sampled_from(sorted(POLICY.products)))
def test_stepped_rate_concedes_in_steps_and_never_below_the_floor(tier, product):
    floor = POLICY.floor_rate(product, tier)
    rate = POLICY.priced_rate(product, tier)
    seen = [rate]
    for _ in range(12):
        rate = stepped_rate(POLICY, product, tier, rate)
        assert rate >= floor
        seen.append(rate)
    assert seen[-1] == floor  # repeated asks reach the floor...
    if seen[0] - floor > 2 * RATE_STEP:
        assert floor < seen[1] < seen[0]  # ...but the first ask does not concede it at once


def test_stepped_rate_at_the_floor_stays_there():
    floor = POLICY.floor_rate("car", "A")
    assert stepped_rate(POLICY, "car", "A", floor) == floor
    assert stepped_rate(POLICY, "car", "A", floor - 1) == floor
