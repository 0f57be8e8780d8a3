"""What the application and offer routes do, kept out of the route functions.

Submitting stores the application and its decision in one transaction keyed by the
Idempotency-Key; the offers follow. If the process dies between the two writes, listing the
offers re-derives them from the stored decision inputs, so no acknowledged application is
left without its offers.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any, Literal

from api.deps import Services
from api.schemas.applications import (
    ApplicationCreate,
    ApplicationPublic,
    OfferPublic,
    OfferSetPublic,
    StatusChangePublic,
)
from api.security import Principal
from core.errors import NotFound, UpstreamUnavailable
from core.ids import new_id
from lending.schemas import ApplicantProfile, Decision, LoanRequest, Offer
from storage.records import ApplicationRecord, OfferRecord, StatusChange
from tools.underwriting import Underwriting

log = logging.getLogger(__name__)


def request_hash(body: ApplicationCreate) -> str:
    """Return a stable hash of the submitted body (detects a key reused for another request)."""
    canonical = json.dumps(body.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def owned_application(
    services: Services, user: Principal, application_id: str, *, staff_may_read: bool = False
) -> ApplicationRecord:
    """Return the caller's application; anyone else's is 'not found' (staff may read)."""
    record = services.repos.applications.get(application_id)
    if record is None or not (record.owner == user.user_id or (staff_may_read and user.is_staff)):
        raise NotFound(f"no application {application_id!r}", field="application_id")
    return record


def to_public(record: ApplicationRecord) -> ApplicationPublic:
    """Return the public view; actor ids become roles (no internal ids leak)."""
    history = [
        StatusChangePublic(
            status=c.status,
            at=c.at,
            by=_by(c.actor, record.owner),
            note=c.note,
        )
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
    )


def _by(actor: str, owner: str) -> Literal["applicant", "staff", "system"]:
    if actor == "system":
        return "system"
    return "applicant" if actor == owner else "staff"


def _try_underwrite(
    services: Services, profile: ApplicantProfile, request: LoanRequest
) -> Underwriting | None:
    """Decide now, or return None when the credit model is down (the decision waits)."""
    try:
        return services.underwriter.underwrite(profile, request)
    except UpstreamUnavailable:
        log.warning("credit model unavailable; application kept as received")
        return None


def submit(
    services: Services, user: Principal, body: ApplicationCreate, idempotency_key: str | None
) -> tuple[ApplicationRecord, bool]:
    """Underwrite and store an application once per idempotency key; returns (record, created)."""
    result = _try_underwrite(services, body.profile, body.request)
    now = services.clock.now()
    history = [StatusChange(status="received", at=now, actor="system")]
    status = "received"
    decision: dict[str, Any] | None = None
    if result is not None:
        status = result.status
        decision = {
            **result.offer_set.decision.model_dump(mode="json"),
            "_risk": result.risk.model_dump(mode="json"),
        }
        history.append(
            StatusChange(
                status=status, at=now, actor="system", note=result.offer_set.decision.outcome
            )
        )
    record = ApplicationRecord(
        application_id=new_id("app"),
        owner=user.user_id,
        status=status,
        profile=body.profile.model_dump(mode="json"),
        request=body.request.model_dump(mode="json"),
        decision=decision,
        thread_id=body.thread_id,
        created_at=now,
        updated_at=now,
        history=history,
    )
    stored, created = services.repos.applications.submit(
        record, idempotency_key, request_hash(body)
    )
    if created and result is not None:
        store_offers(services, stored, result.offer_set.offers)
    return stored, created


def store_offers(services: Services, record: ApplicationRecord, offers: list[Offer]) -> None:
    """Replace the application's active offers with `offers`."""
    now = services.clock.now()
    services.repos.offers.replace_active(
        record.application_id,
        [
            OfferRecord(
                offer_id=new_id("ofr"),
                application_id=record.application_id,
                owner=record.owner,
                terms=o.model_dump(mode="json"),
                created_at=now,
            )
            for o in offers
        ],
    )


def offer_public(record: OfferRecord) -> OfferPublic:
    """Return an offer with its id and status."""
    return OfferPublic.model_validate(
        {**record.terms, "offer_id": record.offer_id, "status": record.status}
    )


def current_offers(services: Services, record: ApplicationRecord) -> OfferSetPublic:
    """Return the active offers, re-deriving them if a crash lost them after the submit."""
    offers = services.repos.offers.list_for(record.application_id)
    if not offers and record.status == "approved" and record.decision is not None:
        result = _try_underwrite(
            services,
            ApplicantProfile.model_validate(record.profile),
            LoanRequest.model_validate(record.request),
        )
        if result is not None:
            store_offers(services, record, result.offer_set.offers)
            offers = services.repos.offers.list_for(record.application_id)
    return OfferSetPublic(
        application_id=record.application_id,
        decision=public_decision(record),
        offers=[offer_public(o) for o in offers],
    )


def public_decision(record: ApplicationRecord) -> Decision | None:
    """Return the stored decision without internal fields."""
    if not record.decision:
        return None
    return Decision.model_validate({k: v for k, v in record.decision.items() if k != "_risk"})
