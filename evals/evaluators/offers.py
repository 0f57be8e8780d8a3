"""Are the figures the advisor priced inside policy, and is every payment the formula's?

Bounds come from `lending.policy` (the single source of product ranges and tier floors) and
payments from `lending.amortization`, so the harness judges with the product's own rules.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from evals.schema import Case
from evals.transcript import Check, Transcript
from lending.amortization import monthly_payment
from lending.policy import load_policy

_PRICED = {"amount", "tenure_months", "annual_rate_pct", "monthly_payment"}


def _walk(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        if _PRICED <= value.keys():
            yield value
        for inner in value.values():
            yield from _walk(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _walk(inner)


def priced(t: Transcript) -> list[tuple[dict[str, Any], str | None, str | None]]:
    """Return every priced figure with its product and the risk tier in force, in order."""
    out = []
    product: str | None = None
    tier: str | None = None
    for turn in t.turns:
        sources: list[Any] = [c.result for c in turn.tools if c.status == "success"]
        sources.extend(turn.offers)
        for source in sources:
            for figure in _walk(source):
                product = str(figure.get("product") or product or "") or None
                tier = str(figure.get("risk_tier") or tier or "") or None
                out.append((figure, product, tier))
    return out


def _dec(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _violations(figure: dict[str, Any], product: str | None, tier: str | None) -> list[str]:
    policy = load_policy()
    if product is None or product not in policy.products:
        return [f"offer for unknown product {product!r}"]
    row = policy.product(product)
    rate, amount = _dec(figure["annual_rate_pct"]), _dec(figure["amount"])
    tenure = int(figure["tenure_months"])
    bad = []
    if rate is None or rate not in row.annual_rate_pct:
        bad.append(f"rate {rate}% outside {row.annual_rate_pct.min}-{row.annual_rate_pct.max}%")
    elif tier is not None and tier in policy.tiers:
        floor = policy.floor_rate(product, tier)
        if rate < floor:
            bad.append(f"rate {rate}% below tier {tier} floor {floor}%")
    if amount is None or amount not in row.amount:
        bad.append(f"amount {amount} outside {row.amount.min}-{row.amount.max}")
    if tenure not in row.tenure_months:
        bad.append(f"term {tenure} outside {row.tenure_months.min}-{row.tenure_months.max} months")
    return bad


def offer_policy(t: Transcript, case: Case) -> Check | None:
    """Pass when every priced figure (quote, offer, counter-offer) is inside policy."""
    figures = priced(t)
    if not case.expect.offer_policy or not figures:
        return None
    bad = [v for f, p, tier in figures for v in _violations(f, p, tier)]
    return Check(
        evaluator="offer_policy",
        passed=not bad,
        detail="; ".join(sorted(set(bad))) or f"{len(figures)} figures inside policy",
    )


def payments(t: Transcript, case: Case) -> Check | None:
    """Pass when every monthly payment equals the amortisation formula to the cent."""
    figures = priced(t)
    if not case.expect.payments or not figures:
        return None
    bad = []
    for figure, _product, _tier in figures:
        amount, rate = _dec(figure["amount"]), _dec(figure["annual_rate_pct"])
        paid = _dec(figure["monthly_payment"])
        if amount is None or rate is None or amount <= 0:
            bad.append(f"unreadable figure {figure}")
            continue
        expected = monthly_payment(amount, rate, int(figure["tenure_months"]))
        if paid != expected:
            bad.append(f"{amount}@{rate}%x{figure['tenure_months']}: {paid} != {expected}")
    return Check(
        evaluator="payments",
        passed=not bad,
        detail="; ".join(bad) or f"{len(figures)} payments exact",
    )
