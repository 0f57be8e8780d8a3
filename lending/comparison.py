"""Side-by-side comparison of offers, with pros and cons derived only from their numbers.

Options are named "option 1", "option 2", ... in the order given, so the agent can refer to
them without re-computing anything.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from core.errors import ValidationFailed
from lending.schemas import Comparison, ComparisonRow, Offer


def _argmin(offers: list[Offer], key: Callable[[Offer], Decimal | int]) -> int:
    return min(range(len(offers)), key=lambda i: (key(offers[i]), i))


def _dimension(
    offers: list[Offer],
    key: Callable[[Offer], Decimal | int],
    best_text: Callable[[Offer], str],
    worse_text: Callable[[Offer, Offer], str],
    pros: list[list[str]],
    cons: list[list[str]],
) -> int:
    """Add a pro to every offer tied for the best value and a con to the rest; return the best."""
    best = _argmin(offers, key)
    low = key(offers[best])
    if all(key(o) == low for o in offers):
        return best
    for i, offer in enumerate(offers):
        if key(offer) == low:
            pros[i].append(best_text(offer))
        else:
            cons[i].append(worse_text(offer, offers[best]))
    return best


def compare_offers(offers: list[Offer]) -> Comparison:
    """Compare offers on monthly payment, total cost, time to pay off and APR."""
    if not offers:
        raise ValidationFailed("nothing to compare: give at least one offer", field="offers")
    n = len(offers)
    pros: list[list[str]] = [[] for _ in range(n)]
    cons: list[list[str]] = [[] for _ in range(n)]
    best_payment = _dimension(
        offers,
        lambda o: o.monthly_payment,
        lambda o: f"lowest monthly payment (${o.monthly_payment:,.2f})",
        lambda o, b: (
            f"${o.monthly_payment - b.monthly_payment:,.2f} more per month than the lowest"
        ),
        pros,
        cons,
    )
    best_cost = _dimension(
        offers,
        lambda o: o.total_cost,
        lambda o: f"lowest total cost of credit (${o.total_cost:,.2f} interest and fees)",
        lambda o, b: f"costs ${o.total_cost - b.total_cost:,.2f} more in interest and fees",
        pros,
        cons,
    )
    fastest = _dimension(
        offers,
        lambda o: o.tenure_months,
        lambda o: f"paid off soonest ({o.tenure_months} months)",
        lambda o, b: f"{o.tenure_months - b.tenure_months} months longer in debt",
        pros,
        cons,
    )
    _dimension(
        offers,
        lambda o: o.apr_pct,
        lambda o: f"lowest APR ({o.apr_pct}%)",
        lambda o, b: f"APR {o.apr_pct - b.apr_pct} points higher",
        pros,
        cons,
    )
    for i, offer in enumerate(offers):
        smallest = min(o.amount for o in offers)
        if offer.amount > smallest:
            pros[i].append(f"borrows ${offer.amount - smallest:,.2f} more")
    return Comparison(
        rows=[ComparisonRow(offer=o, pros=pros[i], cons=cons[i]) for i, o in enumerate(offers)],
        best_payment=best_payment,
        best_total_cost=best_cost,
        fastest_payoff=fastest,
    )
