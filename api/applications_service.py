"""The REST face of the application service: public views of records and offers.

The service (applications/) owns every rule and write; this module only turns its records
into the response schemas (actor ids become roles, internal decision fields are dropped).
"""

from __future__ import annotations

from typing import Literal

from api.schemas.applications import (
    ApplicationPublic,
    OfferPublic,
    OfferSetPublic,
    RequiredDocumentPublic,
    StatusChangePublic,
)
from applications.decisions import public_decision
from applications.service import ApplicationService
from storage.records import ApplicationRecord, OfferRecord

__all__ = ["offer_public", "offer_set", "public_decision", "to_public"]


def documents(
    service: ApplicationService, record: ApplicationRecord
) -> list[RequiredDocumentPublic]:
    """Return the documents a conditional approval asks for, each provided or not."""
    return [
        RequiredDocumentPublic.model_validate(c.model_dump()) for c in service.documents(record)
    ]


def to_public(record: ApplicationRecord, service: ApplicationService) -> ApplicationPublic:
    """Return the public view; actor ids become roles (no internal ids leak)."""
    history = [
        StatusChangePublic(status=c.status, at=c.at, by=_by(c.actor, record.owner), note=c.note)
        for c in record.history
    ]
    return ApplicationPublic(
        application_id=record.application_id,
        status=record.status,
        product=str(record.request["product"]),
        amount=record.request["amount"],
        tenure_months=int(record.request["tenure_months"]),
        decision=public_decision(record),
        created_at=record.created_at,
        updated_at=record.updated_at,
        history=history,
        documents=documents(service, record),
        accept_blocked=service.accept_blocked(record),
    )


def _by(actor: str, owner: str) -> Literal["applicant", "staff", "system"]:
    if actor == "system":
        return "system"
    return "applicant" if actor == owner else "staff"


def offer_public(record: OfferRecord) -> OfferPublic:
    """Return an offer with its id and status."""
    return OfferPublic.model_validate(
        {**record.terms, "offer_id": record.offer_id, "status": record.status}
    )


def offer_set(
    service: ApplicationService, record: ApplicationRecord, note: str = ""
) -> OfferSetPublic:
    """Return the decision and the stored active and accepted offers (a pure read)."""
    return OfferSetPublic(
        application_id=record.application_id,
        decision=public_decision(record),
        offers=[offer_public(o) for o in service.offers(record.application_id)],
        note=note,
        documents=documents(service, record),
        accept_blocked=service.accept_blocked(record),
    )
