"""Offer tools: negotiate, compare and accept the offers of this conversation's application."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from langchain_core.runnables import RunnableConfig
from langchain_core.tools import BaseTool, tool
from pydantic import Field

from core.errors import Conflict, NotFound
from lending.comparison import compare_offers as lending_compare
from lending.negotiation import negotiate
from lending.schemas import NegotiationAsk, Offer
from tools.application import CurrentApplication, offer_json, require_application, restore
from tools.ports import ToolDeps

OfferId = Annotated[str, Field(min_length=1, max_length=8, description="offer number, e.g. '2'")]
AskKind = Literal["payment", "rate", "tenure", "longer", "shorter", "amount", "more", "less"]
ACCEPTABLE = ("approved", "conditionally_approved")


def find_offer(application: dict[str, Any], offer_id: str) -> Offer:
    """Return offer `offer_id` of the application, as the domain model."""
    for offer in application.get("offers", []):
        if str(offer["offer_id"]) == str(offer_id):
            fields = {k: v for k, v in offer.items() if k != "offer_id"}
            fields["versions"] = application["decision"]["versions"]
            return Offer.model_validate(fields)
    ids = ", ".join(str(o["offer_id"]) for o in application.get("offers", [])) or "none"
    raise NotFound(f"there is no offer {offer_id!r}; the offers are: {ids}", field="offer_id")


def build_offer_tools(deps: ToolDeps) -> list[BaseTool]:
    """Return the offer tools bound to `deps`."""

    @tool
    def negotiate_offer(
        offer_id: OfferId,
        kind: AskKind,
        application: CurrentApplication,
        value: Annotated[
            float | None,
            Field(
                gt=0,
                le=10_000_000,
                description="payment: target USD/month; rate: target percent; tenure: months; "
                "amount: USD; longer/shorter: months to add/remove; more/less: USD",
            ),
        ] = None,
    ) -> dict[str, Any]:
        """Counter-offer: ask for a lower payment, a lower rate, another term or amount.

        The lending policy decides; the result says whether the ask was met, the new
        numbered offer (or the nearest one in policy), and the limit that applied. Explain
        the trade-off with these figures only and promise nothing else.
        """
        app = require_application(application)
        profile, request, risk = restore(app)
        current = find_offer(app, offer_id)
        if kind == "payment" and value is None:
            kind = "longer"  # "a lower payment" with no figure: stretch the term one step
        if kind == "rate" and value is None:
            value = float(deps.policy.floor_rate(request.product, risk.risk_tier))
        ask = NegotiationAsk(kind=kind, value=None if value is None else Decimal(str(value)))
        result = negotiate(profile, request, risk, ask, deps.policy, current=current)
        next_id = len(app.get("offers", [])) + 1
        out: dict[str, Any] = {
            "application_id": app["application_id"],
            "met": result.met,
            "explanation": result.explanation,
            "offer": None,
            "alternative": None,
            "binding_limit": result.binding_limit.model_dump(mode="json")
            if result.binding_limit
            else None,
        }
        for key in ("offer", "alternative"):
            made = getattr(result, key)
            if made is not None:
                out[key] = offer_json(made, str(next_id))
                next_id += 1
        return out

    @tool
    def compare_offers(
        offer_ids: Annotated[list[OfferId], Field(min_length=1, max_length=10)],
        application: CurrentApplication,
    ) -> dict[str, Any]:
        """Compare offers side by side: monthly payment, total cost, payoff time, APR.

        Returns pros and cons per offer and which offer is best on each dimension.
        """
        app = require_application(application)
        offers = [find_offer(app, i) for i in offer_ids]
        comparison = lending_compare(offers)
        return {
            "rows": [
                {
                    "offer": offer_json(row.offer, offer_ids[i]),
                    "pros": row.pros,
                    "cons": row.cons,
                }
                for i, row in enumerate(comparison.rows)
            ],
            "best_payment": offer_ids[comparison.best_payment],
            "best_total_cost": offer_ids[comparison.best_total_cost],
            "fastest_payoff": offer_ids[comparison.fastest_payoff],
        }

    @tool
    def accept_offer(
        offer_id: OfferId, application: CurrentApplication, config: RunnableConfig
    ) -> dict[str, Any]:
        """Accept one of this application's offers (only when the applicant clearly says so)."""
        app = require_application(application)
        if app["status"] not in ACCEPTABLE:
            raise Conflict(
                f"an application that is {app['status']} has no offer to accept", field="offer_id"
            )
        offer = find_offer(app, offer_id)
        payload = {
            "application_id": app["application_id"],
            "offer_id": str(offer_id),
            "status": "accepted",
            "offer": offer_json(offer, str(offer_id)),
        }
        if deps.events is not None:
            thread = (config or {}).get("configurable", {}).get("thread_id")
            deps.events.record("accepted", thread, payload)
        return payload

    return [negotiate_offer, compare_offers, accept_offer]
