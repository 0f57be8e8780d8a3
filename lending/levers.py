"""Search levers for improvement advice: each finds one verified change that flips a decision.

A lever proposes a change to one actionable input and keeps it only if the full decision,
re-run with the caller's risk function on the changed input, becomes an approval. Searches
assume monotonicity (a smaller amount, a higher score never hurts) to binary-search, and
every answer is verified on the exact value, so a non-monotone model can only make a lever
return nothing, never a wrong suggestion.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Literal

from core.errors import ValidationFailed
from lending.amortization import monthly_payment
from lending.decision import decide
from lending.eligibility import monthly_income
from lending.offers import largest_affordable_amount, shortest_affordable_tenure
from lending.policy import Outcome, Policy
from lending.schemas import ApplicantProfile, Lever, LoanRequest, RiskAssessment

Assess = Callable[[ApplicantProfile, LoanRequest], RiskAssessment]
Target = Literal["applicant", "request"]
#: (lever, target, field, new value, message): a change before it is stamped and verified.
Candidate = tuple[Lever, Target, str, Decimal | int, str]

GOOD: frozenset[Outcome] = frozenset({"approved", "conditionally_approved"})


def memoised(assess: Assess) -> Assess:
    """Return `assess` with results remembered per (applicant, request) for one advice call.

    The searches revisit inputs (each lever re-prices the base request), and with a real
    model every call costs a model inference. The memo lives only as long as the returned
    function, so no state outlives a request.
    """
    seen: dict[tuple[ApplicantProfile, LoanRequest], RiskAssessment] = {}

    def cached(applicant: ApplicantProfile, request: LoanRequest) -> RiskAssessment:
        key = (applicant, request)
        if key not in seen:
            seen[key] = assess(applicant, request)
        return seen[key]

    return cached


def _smallest_true(lo: int, hi: int, ok: Callable[[int], bool]) -> int | None:
    """Return the smallest i in [lo, hi] with ok(i) (ok assumed monotone); None if not ok(hi)."""
    if lo > hi or not ok(hi):
        return None
    while lo < hi:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if ok(mid) else (mid + 1, hi)
    return lo


class Search:
    """One applicant's search context; caches outcomes so each input is assessed once."""

    def __init__(
        self, applicant: ApplicantProfile, request: LoanRequest, assess: Assess, policy: Policy
    ) -> None:
        self.applicant, self.request, self.assess, self.policy = applicant, request, assess, policy
        self.product = policy.product(request.product)
        self._cache: dict[tuple[str, str, Decimal | int], Outcome | None] = {}

    def outcome(self, target: str, field: str, value: Decimal | int) -> Outcome | None:
        """Return the decision outcome with one field changed (None if the input is invalid)."""
        key = (target, field, value)
        if key not in self._cache:
            a, r = self.applicant, self.request
            if target == "applicant":
                a = a.model_copy(update={field: value})
            else:
                r = r.model_copy(update={field: value})
            try:
                self._cache[key] = decide(a, r, self.assess(a, r), self.policy).outcome
            except ValidationFailed:
                self._cache[key] = None
        return self._cache[key]

    def flips(self, target: str, field: str, value: Decimal | int) -> bool:
        """Return whether changing one field turns the decision into an approval."""
        return self.outcome(target, field, value) in GOOD

    def payment(self) -> Decimal:
        """Return the payment for the base request at the base applicant's priced rate."""
        return monthly_payment(self.request.amount, self.rate(), self.request.tenure_months)

    def rate(self) -> Decimal:
        """Return the base applicant's priced rate (percent)."""
        risk = self.assess(self.applicant, self.request)
        return self.policy.priced_rate(self.request.product, risk.risk_tier)


def _amount(s: Search) -> Candidate | None:
    step = s.policy.offers.amount_step
    lo = math.ceil(s.product.amount.min / step)
    hi = math.floor((s.request.amount - Decimal("0.01")) / step)
    # Larger amounts are harder: search k where amount = (hi - k) * step flips.
    k = _smallest_true(0, hi - lo, lambda k: s.flips("request", "amount", (hi - k) * step))
    if k is None:
        return None
    amount = (hi - k) * step
    return "amount", "request", "amount", amount, f"borrow ${amount:,.0f} instead"


def _tenure(s: Search) -> Candidate | None:
    base, rng = s.request.tenure_months, s.product.tenure_months
    found = _smallest_true(base + 1, rng.max, lambda t: s.flips("request", "tenure_months", t))
    if found is None:  # the model may prefer shorter terms: scan down a coarse grid
        # At most ten candidates (6-month multiples), so advice stays cheap with a real model.
        stride = max(6, math.ceil((base - rng.min) / 10 / 6) * 6)
        grid = range(base - stride, rng.min - 1, -stride)
        found = next((t for t in grid if s.flips("request", "tenure_months", t)), None)
    if found is None:
        return None
    return "tenure", "request", "tenure_months", found, f"take the loan over {found} months"


def _debt_message(debt: Decimal, value: Decimal) -> str:
    return f"pay down debts so monthly payments fall by ${debt - value:,.0f} to ${value:,.0f}"


def _debt(s: Search) -> Candidate | None:
    debt = s.applicant.monthly_debt_payments
    if debt <= 0:
        return None
    cap = s.policy.max_dti_pct(s.request.product)
    room = cap * monthly_income(s.applicant, s.request) / 100 - s.payment()
    start = min(debt - 1, room).quantize(Decimal(1), rounding=ROUND_FLOOR)
    if start < 0:
        return None
    # Verify the DTI-derived target; if the model still declines, pay down further.
    for new_debt in (start, start * 3 / 4, start / 2, start / 4, Decimal(0)):
        value = Decimal(new_debt).quantize(Decimal(1), rounding=ROUND_FLOOR)
        if s.flips("applicant", "monthly_debt_payments", value):
            msg = _debt_message(debt, value)
            return "debt_paydown", "applicant", "monthly_debt_payments", value, msg
    return None


def _co_borrower_need(s: Search) -> Decimal:
    """Return the co-borrower income (USD/yr, up to $100) the income and DTI rules need."""
    general, cap = s.policy.general, s.policy.max_dti_pct(s.request.product)
    need_monthly = max(
        s.product.min_monthly_income,
        general.min_annual_income / 12,
        (s.applicant.monthly_debt_payments + s.payment()) * 100 / cap,
    )
    current = s.request.co_borrower_annual_income or Decimal(0)
    base = max(need_monthly * 12 - s.applicant.annual_income, current + 1)
    return (base / 100).quantize(Decimal(1), rounding=ROUND_CEILING) * 100


def _co_borrower_message(value: Decimal | int) -> str:
    return f"apply with a co-borrower earning at least ${value:,.0f} a year"


def _co_borrower(s: Search) -> Candidate | None:
    base = _co_borrower_need(s)
    for factor in ("1", "1.25", "1.5", "2", "3"):
        value = (base * Decimal(factor) / 100).quantize(Decimal(1), rounding=ROUND_CEILING) * 100
        if s.flips("request", "co_borrower_annual_income", value):
            msg = _co_borrower_message(value)
            return "co_borrower", "request", "co_borrower_annual_income", value, msg
    return None


def _credit_message(score: int, new: int) -> str:
    return f"raise the credit score by {new - score} points to {new}"


def _credit(s: Search) -> Candidate | None:
    score = s.applicant.credit_score
    if score is None or score >= 850:
        return None
    found = _smallest_true(score + 1, 850, lambda v: s.flips("applicant", "credit_score", v))
    if found is None:
        return None
    return "credit_score", "applicant", "credit_score", found, _credit_message(score, found)


def _gold_need(s: Search) -> Candidate | None:
    ltv = s.product.max_ltv_pct
    if ltv is None or s.request.gold_value is None:
        return None
    need = (s.request.amount * 100 / ltv).quantize(Decimal(1), rounding=ROUND_CEILING)
    if need <= s.request.gold_value:
        return None
    msg = f"pledge gold worth at least ${need:,.0f} (we lend up to {ltv}% of its value)"
    return "gold_value", "request", "gold_value", need, msg


def _gold(s: Search) -> Candidate | None:
    cand = _gold_need(s)
    return cand if cand is not None and s.flips(cand[1], cand[2], cand[3]) else None


LEVERS = (_amount, _tenure, _debt, _co_borrower, _credit, _gold)


def rule_fixes(s: Search) -> list[Candidate]:
    """Return, per lever, the change that clears that lever's own policy rule (unverified).

    Used as the first step of two-change suggestions when no single change is enough.
    """
    out: list[Candidate] = []
    a, r, policy = s.applicant, s.request, s.policy
    score, min_score = a.credit_score, policy.min_credit_score(r.product)
    if score is not None and score < min_score:
        msg = _credit_message(score, min_score)
        out.append(("credit_score", "applicant", "credit_score", min_score, msg))
    rate = s.rate()
    amount = largest_affordable_amount(a, r, rate, r.tenure_months, policy, r.amount)
    if amount is not None and amount < r.amount:
        out.append(("amount", "request", "amount", amount, f"borrow ${amount:,.0f} instead"))
    rng = s.product.tenure_months
    tenure = shortest_affordable_tenure(a, r, rate, r.tenure_months + 1, rng.max, policy)
    if tenure is not None:
        msg = f"take the loan over {tenure} months"
        out.append(("tenure", "request", "tenure_months", tenure, msg))
    room = policy.max_dti_pct(r.product) * monthly_income(a, r) / 100 - s.payment()
    room = room.quantize(Decimal(1), rounding=ROUND_FLOOR)
    if 0 <= room < a.monthly_debt_payments:
        msg = _debt_message(a.monthly_debt_payments, room)
        out.append(("debt_paydown", "applicant", "monthly_debt_payments", room, msg))
    need = _co_borrower_need(s)
    if need > (r.co_borrower_annual_income or 0):
        msg = _co_borrower_message(need)
        out.append(("co_borrower", "request", "co_borrower_annual_income", need, msg))
    gold = _gold_need(s)
    if gold is not None:
        out.append(gold)
    return out
