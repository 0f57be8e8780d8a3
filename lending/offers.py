"""Priced offers: the requested terms, a shorter and a lower-payment option, counter-offers.

Every offer is priced at the tier's rate, passes every policy bound (amount and tenure
ranges, the gold LTV cap) and is affordable (the DTI cap holds with its payment). When the
request as asked is unaffordable, we offer the shortest longer term that makes it fit, and
the largest amount that fits at the requested term (or, failing that, at the longest term).
"""

from __future__ import annotations

import math
from decimal import Decimal

from lending.amortization import amount_for_payment, apr_pct, monthly_payment, total_interest
from lending.decision import decide, versions_for
from lending.eligibility import (
    dti_pct,
    fits_dti,
    max_affordable_payment,
    max_ltv_amount,
)
from lending.money import to_cents
from lending.policy import Policy, load_policy
from lending.schemas import (
    ApplicantProfile,
    Decision,
    LoanRequest,
    Offer,
    OfferKind,
    OfferSet,
    RiskAssessment,
)

#: Failures a counter-offer (a different amount or term) can cure.
CURABLE = frozenset({"DTI_ABOVE_MAX", "LTV_ABOVE_MAX"})


def build_offer(
    kind: OfferKind,
    applicant: ApplicantProfile,
    request: LoanRequest,
    risk: RiskAssessment,
    policy: Policy,
    *,
    rate: Decimal | None = None,
) -> Offer:
    """Price `request` (amount and tenure as given) at `rate`, default the tier's rate."""
    product = policy.product(request.product)
    rate = policy.priced_rate(request.product, risk.risk_tier) if rate is None else rate
    payment = monthly_payment(request.amount, rate, request.tenure_months)
    interest = total_interest(request.amount, rate, request.tenure_months)
    fee = to_cents(request.amount * product.origination_fee_pct / 100)
    return Offer(
        kind=kind,
        product=request.product,
        amount=to_cents(request.amount),
        tenure_months=request.tenure_months,
        annual_rate_pct=rate,
        apr_pct=apr_pct(request.amount, fee, payment, request.tenure_months),
        monthly_payment=payment,
        total_interest=interest,
        fees=fee,
        total_repayment=to_cents(request.amount) + interest,
        total_cost=interest + fee,
        dti_pct=dti_pct(applicant, request, payment),
        late_fee=policy.late_fee.for_instalment(payment),
        risk_tier=risk.risk_tier,
        versions=versions_for(policy, risk),
    )


def in_policy(
    offer: Offer,
    applicant: ApplicantProfile,
    request: LoanRequest,
    risk: RiskAssessment,
    policy: Policy,
) -> bool:
    """Return whether `offer` respects every bound for this applicant (a guard and a test oracle).

    `request` supplies what the offer does not carry (gold value, co-borrower income).
    """
    product = policy.product(offer.product)
    terms = request.model_copy(
        update={"amount": offer.amount, "tenure_months": offer.tenure_months}
    )
    ltv = max_ltv_amount(terms, policy)
    return (
        offer.amount in product.amount
        and offer.tenure_months in product.tenure_months
        and product.annual_rate_pct.min <= offer.annual_rate_pct <= product.annual_rate_pct.max
        and offer.annual_rate_pct >= policy.floor_rate(offer.product, risk.risk_tier)
        and (ltv is None or offer.amount <= ltv)
        and fits_dti(applicant, terms, offer.monthly_payment, policy)
        and offer.monthly_payment
        == monthly_payment(offer.amount, offer.annual_rate_pct, offer.tenure_months)
    )


def tenure_step(tenure_months: int, policy: Policy) -> int:
    """Return how far the shorter / longer options move from `tenure_months`."""
    share = math.ceil(tenure_months * policy.offers.tenure_step_fraction / 6) * 6
    return max(policy.offers.tenure_step_months, share)


def shortest_affordable_tenure(
    applicant: ApplicantProfile,
    request: LoanRequest,
    rate: Decimal,
    lo: int,
    hi: int,
    policy: Policy,
) -> int | None:
    """Return the shortest tenure in [lo, hi] at which `request.amount` fits the DTI cap."""
    cap = max_affordable_payment(applicant, request, policy)
    if lo > hi or monthly_payment(request.amount, rate, hi) > cap:
        return None
    while lo < hi:  # payment falls as tenure grows: binary search
        mid = (lo + hi) // 2
        if monthly_payment(request.amount, rate, mid) <= cap:
            hi = mid
        else:
            lo = mid + 1
    return lo


def largest_affordable_amount(
    applicant: ApplicantProfile,
    request: LoanRequest,
    rate: Decimal,
    tenure_months: int,
    policy: Policy,
    ceiling: Decimal | None = None,
) -> Decimal | None:
    """Return the largest amount (a multiple of the policy step) that fits every bound, or None.

    Bounded by `ceiling` (default: the product maximum), the product maximum, the LTV cap
    and the DTI cap at `tenure_months`.
    """
    product = policy.product(request.product)
    step = policy.offers.amount_step
    cap_payment = max_affordable_payment(applicant, request, policy)
    # Any exact payment below cap + half a cent rounds to at most the cap, so start from the
    # present value of that; the loop below steps down if the rounding still overshoots.
    by_payment = amount_for_payment(cap_payment + Decimal("0.005"), rate, tenure_months)
    limits = [product.amount.max, by_payment]
    if ceiling is not None:
        limits.append(ceiling)
    ltv = max_ltv_amount(request, policy)
    if ltv is not None:
        limits.append(ltv)
    amount = (min(limits) // step) * step
    while (
        amount >= product.amount.min and monthly_payment(amount, rate, tenure_months) > cap_payment
    ):
        amount -= step
    return amount if amount >= product.amount.min and amount > 0 else None


def _dedupe(offers: list[Offer]) -> list[Offer]:
    seen: set[tuple[Decimal, int]] = set()
    out = []
    for offer in offers:
        key = (offer.amount, offer.tenure_months)
        if key not in seen:
            seen.add(key)
            out.append(offer)
    return out


def offers_for(
    decision: Decision,
    applicant: ApplicantProfile,
    request: LoanRequest,
    risk: RiskAssessment,
    policy: Policy,
) -> tuple[list[Offer], str]:
    """Return the options for an already-made `decision`, and a note on how they were chosen."""
    blocking = [
        r for r in decision.reasons if r.code not in CURABLE | {"RISK_TIER", "MODEL_REASON"}
    ]
    band = policy.tiers[risk.risk_tier].decision
    if blocking or band not in ("approved", "conditionally_approved"):
        return [], "no offers: the decision is not an approval and no change of terms cures it"
    product = policy.product(request.product)
    rate = decision.annual_rate_pct
    tmin, tmax = product.tenure_months.min, product.tenure_months.max
    step = tenure_step(request.tenure_months, policy)
    offers: list[Offer] = []

    def add(kind: OfferKind, amount: Decimal, tenure: int) -> None:
        terms = request.model_copy(update={"amount": amount, "tenure_months": tenure})
        offers.append(build_offer(kind, applicant, terms, risk, policy, rate=rate))

    if decision.outcome != "declined":
        add("requested", request.amount, request.tenure_months)
        shorter = max(tmin, request.tenure_months - step)
        if shorter < request.tenure_months:
            best = shortest_affordable_tenure(
                applicant, request, rate, shorter, request.tenure_months, policy
            )
            if best is not None and best < request.tenure_months:
                add("shorter", request.amount, best)
        longer = min(tmax, request.tenure_months + step)
        if longer > request.tenure_months:
            add("lower_payment", request.amount, longer)
        return _dedupe(offers), "the requested terms, a shorter term and a lower-payment term"
    ltv = max_ltv_amount(request, policy)
    if ltv is None or request.amount <= ltv:
        tenure = shortest_affordable_tenure(
            applicant, request, rate, request.tenure_months + 1, tmax, policy
        )
        if tenure is not None:
            add("lower_payment", request.amount, tenure)
    for tenure in (request.tenure_months, tmax):
        amount = largest_affordable_amount(applicant, request, rate, tenure, policy, request.amount)
        if amount is not None and amount < request.amount:
            add("largest_affordable", amount, tenure)
            break
    note = (
        "the request as asked is unaffordable or above the collateral limit; these are the "
        "shortest longer term that fits and the largest amount that fits"
    )
    return _dedupe(offers), note if offers else "no amount or term inside policy is affordable"


def make_offers(
    applicant: ApplicantProfile,
    request: LoanRequest,
    risk: RiskAssessment,
    policy: Policy | None = None,
) -> OfferSet:
    """Decide on `request` and return every option we can make, each in policy and affordable."""
    policy = policy or load_policy()
    decision = decide(applicant, request, risk, policy)
    offers, note = offers_for(decision, applicant, request, risk, policy)
    return OfferSet(decision=decision, offers=offers, note=note)
