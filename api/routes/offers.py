"""Offers on an application: list, adjust terms (re-priced at once), compare, accept."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path

from api.applications_service import offer_public, offer_set
from api.deps import ServicesDep, UserDep
from api.schemas.applications import (
    CompareBody,
    ComparisonPublic,
    ComparisonRowPublic,
    OfferAdjust,
    OfferPublic,
    OfferSetPublic,
)
from core.ids import ID_PATTERN

router = APIRouter(prefix="/v1/applications/{application_id}/offers", tags=["offers"])
ApplicationId = Annotated[str, Path(pattern=ID_PATTERN.pattern)]
OfferId = Annotated[str, Path(pattern=ID_PATTERN.pattern, description="id from the offers list")]


@router.get("", response_model=OfferSetPublic, operation_id="listOffers")
def list_offers(application_id: ApplicationId, services: ServicesDep, user: UserDep) -> Any:
    """Return the decision and the active offers (and the accepted one, once accepted).

    A read: it writes nothing. Offers negotiated in the chat are listed here too.
    """
    record = services.applications.owned(user.user_id, application_id, staff=user.is_staff)
    return offer_set(services.applications, record)


@router.post(
    "/adjust",
    response_model=OfferSetPublic,
    operation_id="adjustOffers",
    responses={409: {"description": "the application is not open to offers"}},
)
def adjust_offers(
    application_id: ApplicationId, body: OfferAdjust, services: ServicesDep, user: UserDep
) -> Any:
    """Re-price with a new amount and/or tenure; the new offers replace the active ones."""
    services.applications.owned(user.user_id, application_id)
    record, done = services.applications.reprice(
        application_id, user.user_id, amount=body.amount, tenure_months=body.tenure_months
    )
    view = offer_set(services.applications, record, note=done.offer_set.note)
    return view.model_copy(update={"decision": done.offer_set.decision})


@router.post("/compare", response_model=ComparisonPublic, operation_id="compareOffers")
def compare(
    application_id: ApplicationId, body: CompareBody, services: ServicesDep, user: UserDep
) -> Any:
    """Compare offers of this application side by side."""
    services.applications.owned(user.user_id, application_id, staff=user.is_staff)
    views, comparison = services.applications.compare(application_id, body.offer_ids)
    found = {o.offer_id: o for o in services.applications.offers(application_id)}
    ids = [v.offer_id for v in views]
    return ComparisonPublic(
        rows=[
            ComparisonRowPublic(offer=offer_public(found[v.offer_id]), pros=row.pros, cons=row.cons)
            for v, row in zip(views, comparison.rows, strict=True)
        ],
        best_payment=ids[comparison.best_payment],
        best_total_cost=ids[comparison.best_total_cost],
        fastest_payoff=ids[comparison.fastest_payoff],
    )


@router.post(
    "/{offer_id}/accept",
    response_model=OfferPublic,
    operation_id="acceptOffer",
    responses={409: {"description": "not approved, or the offer was superseded"}},
)
def accept_offer(
    application_id: ApplicationId, offer_id: OfferId, services: ServicesDep, user: UserDep
) -> Any:
    """Accept one active offer; the application becomes offer_accepted."""
    services.applications.owned(user.user_id, application_id)
    return offer_public(services.applications.accept(application_id, user.user_id, offer_id))
