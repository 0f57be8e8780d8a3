"""Negotiation: meet an applicant's ask inside policy, or name the limit and the nearest option.

The starting point is the current offer (or the request priced at the tier's rate). Every
offer returned passes `offers.in_policy`: amount and tenure inside the product's ranges, the
rate inside the product's range and never below the tier's floor, the gold LTV cap, and
the DTI cap with the new payment. Risk is taken as given; the agent re-scores when a change
of amount or term could move the applicant's tier.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal

from core.errors import ValidationFailed
from lending.amortization import amount_for_payment, monthly_payment
from lending.decision import decide
from lending.eligibility import (
    fits_dti,
    max_affordable_payment,
    max_ltv_amount,
    request_failures,
)
from lending.offers import (
    CURABLE,
    build_offer,
    in_policy,
    largest_affordable_amount,
    shortest_affordable_tenure,
    tenure_step,
)
from lending.policy import RATE_STEP, Policy, Tier, load_policy
from lending.schemas import (
    ApplicantProfile,
    LoanRequest,
    NegotiationAsk,
    NegotiationResult,
    Offer,
    Reason,
    ReasonCode,
    RiskAssessment,
)


class _Ctx:
    """The fixed inputs of one negotiation, so helpers stay short."""

    def __init__(
        self,
        applicant: ApplicantProfile,
        request: LoanRequest,
        risk: RiskAssessment,
        policy: Policy,
        rate: Decimal,
    ) -> None:
        self.applicant, self.request, self.risk, self.policy = applicant, request, risk, policy
        self.rate = rate
        self.product = policy.product(request.product)

    def terms(self, amount: Decimal, tenure: int) -> LoanRequest:
        return self.request.model_copy(update={"amount": amount, "tenure_months": tenure})

    def offer(self, amount: Decimal, tenure: int, rate: Decimal | None = None) -> Offer | None:
        """Return the priced offer if it is inside policy, else None."""
        terms = self.terms(amount, tenure)
        if amount not in self.product.amount or tenure not in self.product.tenure_months:
            return None
        built = build_offer(
            "negotiated", self.applicant, terms, self.risk, self.policy, rate=rate or self.rate
        )
        return built if in_policy(built, self.applicant, terms, self.risk, self.policy) else None

    def unmet(self, ask: NegotiationAsk, amount: Decimal, tenure: int) -> NegotiationResult:
        """Explain why (amount, tenure) cannot be offered; offer the largest amount that can."""
        terms = self.terms(amount, tenure)
        payment = monthly_payment(amount, self.rate, tenure)
        failures = request_failures(self.applicant, terms, payment, self.policy)
        limit = failures[0] if failures else _limit("NOT_OFFERABLE", "outside policy", "", amount)
        top = largest_affordable_amount(
            self.applicant, terms, self.rate, tenure, self.policy, amount
        )
        alt = self.offer(top, tenure) if top is not None and top < amount else None
        text = (
            f"the most we can lend over {tenure} months is ${top:,.2f}" if alt else "no amount fits"
        )
        return _result(ask, None, f"{limit.message}; {text}", limit, alt)

    def fits(self, amount: Decimal, tenure: int) -> bool:
        return fits_dti(
            self.applicant,
            self.terms(amount, tenure),
            monthly_payment(amount, self.rate, tenure),
            self.policy,
        )


def _limit(code: ReasonCode, message: str, limit: object, actual: object) -> Reason:
    return Reason(code=code, message=message, limit=str(limit), actual=str(actual))


def _result(
    ask: NegotiationAsk,
    offer: Offer | None,
    explanation: str,
    limit: Reason | None = None,
    alternative: Offer | None = None,
) -> NegotiationResult:
    return NegotiationResult(
        ask=ask,
        met=offer is not None,
        offer=offer,
        binding_limit=None if offer is not None else limit,
        alternative=None if offer is not None else alternative,
        explanation=explanation,
    )


def _payment(ctx: _Ctx, ask: NegotiationAsk, amount: Decimal, tenure: int) -> NegotiationResult:
    # A payment above the DTI room is not affordable even if it meets the ask.
    target = min(
        ask.value or Decimal(0), max_affordable_payment(ctx.applicant, ctx.request, ctx.policy)
    )
    tmax = ctx.product.tenure_months.max
    lo, hi = tenure, tmax
    if monthly_payment(amount, ctx.rate, hi) <= target:
        while lo < hi:
            mid = (lo + hi) // 2
            lo, hi = (
                (lo, mid) if monthly_payment(amount, ctx.rate, mid) <= target else (mid + 1, hi)
            )
        offer = ctx.offer(amount, lo)
        if offer is None:
            return ctx.unmet(ask, amount, lo)
        return _result(
            ask, offer, f"a {lo}-month term brings the payment to ${offer.monthly_payment:,.2f}"
        )
    lowest = monthly_payment(amount, ctx.rate, tmax)
    if lowest <= (ask.value or 0):  # the ask is reachable, but only above the DTI cap
        cap = ctx.policy.max_dti_pct(ctx.request.product)
        limit = _limit(
            "DTI_ABOVE_MAX",
            f"a payment of ${ask.value:,.2f} would take DTI above {cap}%; the most this "
            f"applicant can add is ${target:,.2f}/month",
            cap,
            ask.value,
        )
    else:
        limit = _limit(
            "TENURE_ABOVE_MAX",
            f"even at the longest term ({tmax} months) the payment on ${amount:,.2f} "
            f"is ${lowest:,.2f}",
            tmax,
            tenure,
        )
    capped = ctx.request.model_copy(update={"amount": amount, "tenure_months": tmax})
    smaller = largest_affordable_amount(ctx.applicant, capped, ctx.rate, tmax, ctx.policy, amount)
    alt = None
    if smaller is not None:
        by_target = (
            amount_for_payment(target, ctx.rate, tmax) // ctx.policy.offers.amount_step
        ) * (ctx.policy.offers.amount_step)
        pick = min(smaller, by_target)
        alt = ctx.offer(pick, tmax) if pick >= ctx.product.amount.min else None
    alt = alt or ctx.offer(amount, tmax)
    text = "the nearest option " + (
        f"borrows ${alt.amount:,.2f} over {alt.tenure_months} months "
        f"at ${alt.monthly_payment:,.2f}/month"
        if alt
        else "does not exist inside policy"
    )
    return _result(ask, None, f"{limit.message}; {text}", limit, alt)


def _rate(ctx: _Ctx, ask: NegotiationAsk, amount: Decimal, tenure: int) -> NegotiationResult:
    target = (ask.value or Decimal(0)).quantize(Decimal("0.01"), rounding=ROUND_CEILING)
    floor = ctx.policy.floor_rate(ctx.request.product, ctx.risk.risk_tier)
    if target >= ctx.rate:
        offer = ctx.offer(amount, tenure)
        if offer is None:
            return ctx.unmet(ask, amount, tenure)
        return _result(ask, offer, f"the offer is already at {ctx.rate}%, at or below the ask")
    if target >= floor:
        offer = ctx.offer(amount, tenure, target)
        if offer is None:
            return ctx.unmet(ask, amount, tenure)
        return _result(ask, offer, f"we can price this at {target}%")
    at_min = floor == ctx.product.annual_rate_pct.min
    who = (
        "the product's minimum rate" if at_min else f"the floor for risk tier {ctx.risk.risk_tier}"
    )
    limit = _limit("RATE_BELOW_FLOOR", f"{target}% is below {who}, {floor}%", floor, target)
    alt = ctx.offer(amount, tenure, floor) if floor < ctx.rate else None
    text = (
        f"the best we can do is {floor}%"
        if alt
        else f"the current {ctx.rate}% is already the floor"
    )
    return _result(ask, None, f"{limit.message}; {text}", limit, alt)


def _tenure(
    ctx: _Ctx, ask: NegotiationAsk, amount: Decimal, target: int, base: int
) -> NegotiationResult:
    rng = ctx.product.tenure_months
    if target > rng.max or target < rng.min:
        code: ReasonCode = "TENURE_ABOVE_MAX" if target > rng.max else "TENURE_BELOW_MIN"
        edge = rng.max if target > rng.max else rng.min
        limit = _limit(code, f"a {ctx.product.label} runs {rng.min}-{rng.max} months", edge, target)
        target_ok = edge if ctx.fits(amount, edge) else None
        if target_ok is None and edge < base:
            target_ok = shortest_affordable_tenure(
                ctx.applicant, ctx.terms(amount, base), ctx.rate, edge, base, ctx.policy
            )
        alt = ctx.offer(amount, target_ok) if target_ok is not None and target_ok != base else None
        text = f"nearest is {alt.tenure_months} months" if alt else "no other term fits"
        return _result(ask, None, f"{limit.message}; {text}", limit, alt)
    if ctx.fits(amount, target):
        offer = ctx.offer(amount, target)
        if offer is None:
            return ctx.unmet(ask, amount, target)
        return _result(ask, offer, f"{target} months at ${offer.monthly_payment:,.2f}/month")
    best = shortest_affordable_tenure(
        ctx.applicant, ctx.terms(amount, base), ctx.rate, target, max(base, target), ctx.policy
    )
    pay = monthly_payment(amount, ctx.rate, target)
    cap = ctx.policy.max_dti_pct(ctx.request.product)
    limit = _limit(
        "DTI_ABOVE_MAX",
        f"at {target} months the ${pay:,.2f} payment takes DTI above {cap}%",
        cap,
        target,
    )
    alt = ctx.offer(amount, best) if best is not None else None
    text = f"the shortest affordable term is {best} months" if best is not None else "no term fits"
    return _result(ask, None, f"{limit.message}; {text}", limit, alt)


def _amount(ctx: _Ctx, ask: NegotiationAsk, target: Decimal, tenure: int) -> NegotiationResult:
    rng = ctx.product.amount
    if target < rng.min:
        limit = _limit(
            "AMOUNT_BELOW_MIN", f"a {ctx.product.label} starts at ${rng.min:,.0f}", rng.min, target
        )
        return _result(ask, None, limit.message, limit, ctx.offer(rng.min, tenure))
    ltv = max_ltv_amount(ctx.request, ctx.policy)
    if target > rng.max or (ltv is not None and target > ltv):
        over_ltv = ltv is not None and target > ltv and ltv < rng.max
        limit = (
            _limit("LTV_ABOVE_MAX", f"the pledged gold supports at most ${ltv:,.2f}", ltv, target)
            if over_ltv
            else _limit(
                "AMOUNT_ABOVE_MAX",
                f"a {ctx.product.label} is capped at ${rng.max:,.0f}",
                rng.max,
                target,
            )
        )
    elif ctx.fits(target, tenure):
        offer = ctx.offer(target, tenure)
        if offer is None:
            return ctx.unmet(ask, target, tenure)
        return _result(ask, offer, f"${target:,.2f} over {tenure} months")
    else:
        cap = ctx.policy.max_dti_pct(ctx.request.product)
        limit = _limit(
            "DTI_ABOVE_MAX",
            f"${target:,.2f} over {tenure} months takes DTI above {cap}%",
            cap,
            target,
        )
        longer = shortest_affordable_tenure(
            ctx.applicant,
            ctx.terms(target, tenure),
            ctx.rate,
            tenure + 1,
            ctx.product.tenure_months.max,
            ctx.policy,
        )
        if longer is not None:
            alt = ctx.offer(target, longer)
            return _result(ask, None, f"{limit.message}; it fits over {longer} months", limit, alt)
    top = largest_affordable_amount(
        ctx.applicant, ctx.terms(target, tenure), ctx.rate, tenure, ctx.policy, target
    )
    alt = ctx.offer(top, tenure) if top is not None else None
    text = f"the most we can lend over {tenure} months is ${top:,.2f}" if top else "no amount fits"
    return _result(ask, None, f"{limit.message}; {text}", limit, alt)


RATE_CONCESSION_SHARE = Decimal("0.5")
"""Share of the gap to the tier's floor conceded on each plain ask for a lower rate."""


def stepped_rate(policy: Policy, product: str, tier: Tier, current: Decimal) -> Decimal:
    """Return the rate to offer when asked for "a lower rate" with no figure.

    Conceding the floor at once to anyone who asks leaves nothing to trade for, so each plain
    ask moves half the remaining way to the tier's floor (rounded up to the rate step), and
    reaches the floor once the gap is a single step. Never below the floor; an offer already
    at or under it stays at the floor.
    """
    floor = policy.floor_rate(product, tier)
    if current - floor <= RATE_STEP:
        return floor
    target = current - (current - floor) * RATE_CONCESSION_SHARE
    return max(floor, target.quantize(RATE_STEP, rounding=ROUND_CEILING))


def negotiate(
    applicant: ApplicantProfile,
    request: LoanRequest,
    risk: RiskAssessment,
    ask: NegotiationAsk,
    policy: Policy | None = None,
    current: Offer | None = None,
) -> NegotiationResult:
    """Return the best in-policy offer meeting `ask`, or the binding limit and nearest option."""
    policy = policy or load_policy()
    decision = decide(applicant, request, risk, policy)
    blocking = [
        r for r in decision.reasons if r.code not in CURABLE | {"RISK_TIER", "MODEL_REASON"}
    ]
    band = policy.tiers[risk.risk_tier].decision
    if blocking or band not in ("approved", "conditionally_approved"):
        first = blocking[0] if blocking else decision.reasons[0]
        return _result(ask, None, f"we cannot make an offer: {first.message}", first)
    amount = current.amount if current else request.amount
    tenure = current.tenure_months if current else request.tenure_months
    rate = current.annual_rate_pct if current else decision.annual_rate_pct
    ctx = _Ctx(applicant, request, risk, policy, rate)
    if ask.kind in ("payment", "rate", "tenure", "amount") and ask.value is None:
        raise ValidationFailed(f"a {ask.kind!r} ask needs a value", field="value")
    step = int(ask.value) if ask.value is not None else tenure_step(tenure, policy)
    if ask.kind == "payment":
        return _payment(ctx, ask, amount, tenure)
    if ask.kind == "rate":
        return _rate(ctx, ask, amount, tenure)
    if ask.kind in ("tenure", "longer", "shorter"):
        target = {"tenure": step, "longer": tenure + step, "shorter": tenure - step}[ask.kind]
        return _tenure(ctx, ask, amount, target, tenure)
    delta = ask.value if ask.value is not None else Decimal(5000)
    target_amount = {"amount": delta, "more": amount + delta, "less": amount - delta}[ask.kind]
    return _amount(ctx, ask, target_amount, tenure)
