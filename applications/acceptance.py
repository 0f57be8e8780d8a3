"""Taking an offer on, the documents a conditional approval waits for, and withdrawing.

Accept is the binding step: a conditional approval is accepted only once its documents are in,
unless the policy lets them follow (`acceptance.documents_before_acceptance`); an accepted
offer can be withdrawn only within the policy's cooling-off window.
"""

from __future__ import annotations

from datetime import timedelta

from applications import conditions
from applications.lifecycle import Action, next_status
from applications.store import ApplicationStore
from core.errors import Conflict, NotFound, ValidationFailed
from lending.messages import unknown_document
from lending.policy import Policy
from storage.records import ApplicationRecord, ApplicationStatus, OfferRecord


def accept(
    store: ApplicationStore, policy: Policy, application_id: str, actor: str, offer_ref: str
) -> OfferRecord:
    """Accept one existing active offer; the application becomes offer_accepted.

    Raises:
        NotFound: the offer does not exist on this application.
        Conflict: the application or the offer is not open to acceptance, or documents are
            still needed (the message names them).
    """
    record = store.get(application_id)
    _, offer = store.find_offer(application_id, offer_ref)
    next_status(record.status, Action.ACCEPT)
    blocked = conditions.blocked_reason(record, policy)
    if blocked is not None:
        raise Conflict(blocked, field="documents")
    accepted = store.repos.offers.accept(offer.offer_id)
    store.move(record, Action.ACCEPT, actor=actor, note=f"accepted {offer.offer_id}")
    return accepted


def provide_document(
    store: ApplicationStore, application_id: str, actor: str, name: str, document_id: str | None
) -> ApplicationRecord:
    """Record that a document the conditional approval asks for is in (optionally a file).

    Marking the same document again (with the same file) changes nothing.

    Raises:
        Conflict: the application is not approved (nothing is asked for any more).
        ValidationFailed: the decision does not ask for `name` (the message lists what it does).
        NotFound: `document_id` is not one of the applicant's stored documents for it.
    """
    record = store.get(application_id)
    next_status(record.status, Action.PROVIDE_DOCUMENT)
    required = conditions.required_documents(record)
    if name not in required:
        raise ValidationFailed(unknown_document(name, required), field="name")
    if document_id is not None:
        _check_file(store, record, document_id)
    current = next(c for c in conditions.conditions(record) if c.name == name)
    if current.provided and current.document_id == document_id:
        return record
    decision = conditions.with_provided(record.decision or {}, name, store.clock.now(), document_id)
    return store.move(
        record,
        Action.PROVIDE_DOCUMENT,
        actor=actor,
        note=f"document provided: {name}",
        decision=decision,
    )


def withdraw(
    store: ApplicationStore, policy: Policy, application_id: str, actor: str, reason: str
) -> ApplicationRecord:
    """Withdraw; an accepted offer only within the policy's cooling-off window."""
    record = store.get(application_id)
    if record.status == ApplicationStatus.OFFER_ACCEPTED:
        days = policy.acceptance.cooling_off_days
        accepted_at = next(
            (
                c.at
                for c in reversed(record.history)
                if c.status == ApplicationStatus.OFFER_ACCEPTED
            ),
            record.updated_at,
        )
        if store.clock.now() - accepted_at > timedelta(days=days):
            raise Conflict(
                f"the {days}-day cooling-off period after accepting this offer has ended,"
                " so it can no longer be withdrawn here; please contact us",
                field="status",
            )
    return store.move(record, Action.WITHDRAW, actor=actor, note=reason)


def _check_file(store: ApplicationStore, record: ApplicationRecord, document_id: str) -> None:
    """Refuse a file that is not the applicant's, not stored, or attached to another application."""
    doc = store.repos.documents.get(document_id)
    if (
        doc is None
        or doc.owner != record.owner
        or doc.status != "stored"
        or doc.application_id not in (None, record.application_id)
    ):
        raise NotFound(f"no uploaded document {document_id!r}", field="document_id")
