"""Offers on an application: list, adjust terms (re-priced at once), compare, accept."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path

from api.applications_service import (
    current_offers,
    offer_public,
    owned_application,
    store_offers,
)
from api.deps import ServicesDep, UserDep
from api.schemas.applications import (
    CompareBody,
    ComparisonPublic,
    ComparisonRowPublic,
    OfferAdjust,
    OfferPublic,
    OfferSetPublic,
)
from core.errors import Conflict, NotFound
from core.ids import ID_PATTERN
from lending.schemas import ApplicantProfile, LoanRequest, Offer

router = APIRouter(prefix="/v1/applications/{application_id}/offers", tags=["offers"])
ApplicationId = Annotated[str, Path(pattern=ID_PATTERN.pattern)]
OfferId = Annotated[str, Path(pattern=ID_PATTERN.pattern, description="id from the offers list")]


@router.get("", response_model=OfferSetPublic, operation_id="listOffers")
def list_offers(application_id: ApplicationId, services: ServicesDep, user: UserDep) -> Any:
    """Return the decision and the active offers (and the accepted one, once accepted)."""
    record = owned_application(services, user, application_id, staff_may_read=True)
    return current_offers(services, record)


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
    record = owned_application(services, user, application_id)
    if record.status != "approved":
        raise Conflict(f"offers can only be adjusted on an approved application ({record.status})")
    terms, result = services.underwriter.reprice(
        ApplicantProfile.model_validate(record.profile),
        LoanRequest.model_validate(record.request),
        amount=body.amount,
        tenure_months=body.tenure_months,
    )
    store_offers(services, record, result.offer_set.offers)
    stored = services.repos.offers.list_for(application_id)
    return OfferSetPublic(
        application_id=application_id,
        decision=result.offer_set.decision,
        offers=[offer_public(o) for o in stored],
        note=result.offer_set.note,
    )


@router.post("/compare", response_model=ComparisonPublic, operation_id="compareOffers")
def compare(
    application_id: ApplicationId, body: CompareBody, services: ServicesDep, user: UserDep
) -> Any:
    """Compare offers of this application side by side."""
    owned_application(services, user, application_id, staff_may_read=True)
    found = []
    for offer_id in dict.fromkeys(body.offer_ids):
        offer = services.repos.offers.get(offer_id)
        if offer is None or offer.application_id != application_id:
            raise NotFound(f"no offer {offer_id!r} on this application", field="offer_ids")
        found.append(offer)
    comparison = services.underwriter.compare([Offer.model_validate(o.terms) for o in found])
    ids = [o.offer_id for o in found]
    return ComparisonPublic(
        rows=[
            ComparisonRowPublic(offer=offer_public(o), pros=row.pros, cons=row.cons)
            for o, row in zip(found, comparison.rows, strict=True)
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
    record = owned_application(services, user, application_id)
    offer = services.repos.offers.get(offer_id)
    if offer is None or offer.application_id != application_id:
        raise NotFound(f"no offer {offer_id!r} on this application", field="offer_id")
    if record.status != "approved":
        raise Conflict(f"an application that is {record.status} cannot accept an offer")
    accepted = services.repos.offers.accept(offer_id)
    services.repos.applications.transition(
        application_id,
        "offer_accepted",
        actor=user.user_id,
        at=services.clock.now(),
        note=f"accepted {offer_id}",
    )
    return offer_public(accepted)
