"""Offer tools: negotiate, compare and accept the offers of this conversation's application.

Every counter-offer is stored by the application service as an offer of the application, so
what the chat shows is what `GET /v1/applications/{id}/offers` lists.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from langchain_core.tools import BaseTool, tool
from pydantic import Field

from lending.schemas import NegotiationAsk
from tools.application import Runtime, current_application, offer_json
from tools.ports import ToolDeps

OfferId = Annotated[str, Field(min_length=1, max_length=8, description="offer number, e.g. '2'")]
AskKind = Literal["payment", "rate", "tenure", "longer", "shorter", "amount", "more", "less"]


def build_offer_tools(deps: ToolDeps) -> list[BaseTool]:
    """Return the offer tools bound to `deps`."""
    service = deps.applications

    @tool
    def negotiate_offer(
        offer_id: OfferId,
        kind: AskKind,
        runtime: Runtime,
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
        record = current_application(deps, runtime)
        if kind == "payment" and value is None:
            kind = "longer"  # "a lower payment" with no figure: stretch the term one step
        if kind == "rate" and value is None:
            _, request, risk = service.decision_inputs(record)
            if risk is not None:
                value = float(deps.policy.floor_rate(request.product, risk.risk_tier))
        ask = NegotiationAsk(kind=kind, value=None if value is None else Decimal(str(value)))
        done = service.negotiate(record.application_id, offer_id, ask)
        stored = {o.offer_id: o for o in service.offers(record.application_id)}
        made = [offer_json(v.option, v.offer_id, v.status, stored[v.offer_id].terms)
                for v in done.offers]  # fmt: skip
        result = done.result
        out: dict[str, Any] = {
            "application_id": record.application_id,
            "met": result.met,
            "explanation": result.explanation,
            "offer": made[0] if result.offer is not None else None,
            "alternative": made[-1] if result.alternative is not None else None,
            "binding_limit": result.binding_limit.model_dump(mode="json")
            if result.binding_limit
            else None,
            "snapshot": service.snapshot(record.application_id).model_dump(mode="json"),
        }
        return out

    @tool
    def compare_offers(
        offer_ids: Annotated[list[OfferId], Field(min_length=1, max_length=10)],
        runtime: Runtime,
    ) -> dict[str, Any]:
        """Compare offers side by side: monthly payment, total cost, payoff time, APR.

        Returns pros and cons per offer and which offer is best on each dimension.
        """
        record = current_application(deps, runtime)
        views, comparison = service.compare(record.application_id, list(offer_ids))
        stored = {o.offer_id: o for o in service.offers(record.application_id)}
        options = [v.option for v in views]
        return {
            "rows": [
                {
                    "offer": offer_json(v.option, v.offer_id, v.status, stored[v.offer_id].terms),
                    "pros": row.pros,
                    "cons": row.cons,
                }
                for v, row in zip(views, comparison.rows, strict=True)
            ],
            "best_payment": options[comparison.best_payment],
            "best_total_cost": options[comparison.best_total_cost],
            "fastest_payoff": options[comparison.fastest_payoff],
        }

    @tool
    def accept_offer(offer_id: OfferId, runtime: Runtime) -> dict[str, Any]:
        """Accept one of this application's offers. Binding: confirm it with the applicant first.

        Call only after the applicant named this exact offer and said yes to its restated
        terms. An offer number that does not exist is refused and nothing is accepted.
        """
        record = current_application(deps, runtime)
        view, _ = service.find_offer(record.application_id, offer_id)
        accepted = service.accept(record.application_id, runtime.context.user_id, offer_id)
        snapshot = service.snapshot(record.application_id)
        if deps.events is not None:
            deps.events.record(
                "accepted",
                runtime.context.thread_id,
                {"application_id": record.application_id, "offer_id": accepted.offer_id},
            )
        return {
            "application_id": record.application_id,
            "offer_id": view.option,
            "status": snapshot.status.value,
            "offer": offer_json(view.option, accepted.offer_id, accepted.status, accepted.terms),
            "snapshot": snapshot.model_dump(mode="json"),
        }

    return [negotiate_offer, compare_offers, accept_offer]
