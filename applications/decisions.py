"""Submitting, deciding, re-pricing and staff review: how an application gets its decision.

A submission is stored and decided once per (owner, idempotency key); a decision is stored
with the risk it was priced on (and re-priced terms), so later offers and reviews never call
the credit model again.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from applications import conditions
from applications.lifecycle import Action, next_status
from applications.store import ApplicationStore
from applications.underwriting import Underwriter, Underwriting
from core.errors import Conflict, UpstreamUnavailable
from lending.offers import build_offer, offers_for
from lending.schemas import ApplicantProfile, Decision, LoanRequest, Offer
from storage.records import ApplicationRecord, ApplicationStatus, StatusChange

log = logging.getLogger(__name__)
S = ApplicationStatus
ACTION_FOR_OUTCOME = {
    "approved": Action.APPROVE,
    "conditionally_approved": Action.APPROVE,
    "referred": Action.REFER,
    "declined": Action.DECLINE,
}


@dataclass(frozen=True)
class Submission:
    """A stored application and whether this call created it (False: a replay)."""

    record: ApplicationRecord
    created: bool


def request_hash(profile: ApplicantProfile, request: LoanRequest) -> str:
    """Return a stable hash of what was submitted (detects a key reused for another request)."""
    body = {"profile": profile.model_dump(mode="json"), "request": request.model_dump(mode="json")}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def public_decision(record: ApplicationRecord) -> Decision | None:
    """Return the stored decision without internal fields."""
    return Decision.model_validate(_public(record.decision)) if record.decision else None


def submit(
    store: ApplicationStore,
    underwriter: Underwriter,
    owner: str,
    profile: ApplicantProfile,
    request: LoanRequest,
    *,
    idempotency_key: str | None,
    thread_id: str | None,
) -> Submission:
    """Store, decide and price an application once per (owner, idempotency key).

    A replay returns the stored application; if an earlier attempt died between storing the
    application and its offers, the replay stores the offers (priced from the stored decision
    inputs), so a retried submission always ends complete.
    """
    digest = request_hash(profile, request)
    done = _underwrite(underwriter, profile, request)
    now = store.clock.now()
    history = [StatusChange(status=S.RECEIVED, at=now, actor="system")]
    status = S.RECEIVED
    decision: dict[str, Any] | None = None
    if done is not None:
        outcome = done.offer_set.decision.outcome
        status = next_status(S.RECEIVED, ACTION_FOR_OUTCOME[outcome])
        decision = _stored_decision(done, None)
        history.append(StatusChange(status=status, at=now, actor="system", note=outcome))
    record = ApplicationRecord(
        application_id=store.make_id("app"),
        owner=owner,
        status=status,
        profile=profile.model_dump(mode="json"),
        request=request.model_dump(mode="json"),
        decision=decision,
        thread_id=thread_id,
        created_at=now,
        updated_at=now,
        history=history,
    )
    stored, created = store.repos.applications.submit(record, idempotency_key, digest)
    if not created:
        _complete(store, underwriter, stored)
    elif done is not None:
        store.replace_offers(stored, done.offer_set.offers)
    return Submission(stored, created)


def reprice(
    store: ApplicationStore,
    underwriter: Underwriter,
    application_id: str,
    actor: str,
    *,
    amount: Decimal | None,
    tenure_months: int | None,
) -> tuple[ApplicationRecord, Underwriting]:
    """Re-decide an approved application on new terms; its offers are replaced.

    Raises:
        Conflict: not approved, or the new terms would not be approved (nothing changes).
    """
    record = store.get(application_id)
    next_status(record.status, Action.REPRICE)  # refuse early: not open to offers
    profile, request, _ = store.decision_inputs(record)
    terms, done = underwriter.reprice(profile, request, amount=amount, tenure_months=tenure_months)
    decision = done.offer_set.decision
    if ACTION_FOR_OUTCOME[decision.outcome] is not Action.APPROVE:
        # Exploring other terms never costs the applicant the approval they have.
        why = decision.reasons[0].message if decision.reasons else decision.outcome
        raise Conflict(
            f"on those terms the decision would be {decision.outcome.replace('_', ' ')}"
            f" ({why}); the application and its offers are unchanged",
            field="amount",
        )
    updated = store.move(
        record,
        Action.REPRICE,
        actor=actor,
        note=f"re-priced: {terms.amount} over {terms.tenure_months} months",
        decision=conditions.carried(record.decision, _stored_decision(done, terms)),
    )
    store.replace_offers(updated, done.offer_set.offers)
    return updated, done


def review(
    store: ApplicationStore,
    underwriter: Underwriter,
    application_id: str,
    reviewer: str,
    outcome: str,
    note: str,
) -> ApplicationRecord:
    """Record a loan officer's verdict on a referred application; an approval is priced."""
    policy = underwriter.policy
    record = store.get(application_id)
    approve = outcome in ("approved", "conditionally_approved")
    action = Action.REVIEW_APPROVE if approve else Action.REVIEW_DECLINE
    next_status(record.status, action)
    profile, request, risk = store.decision_inputs(record)
    decision = dict(record.decision or {})
    offers: list[Offer] = []
    if approve and risk is not None and decision:
        decision["outcome"] = outcome
        if outcome == "conditionally_approved" and not decision.get("required_documents"):
            product = str(record.request["product"])
            decision["required_documents"] = conditions.policy_documents(policy, product)
        rate = Decimal(str(decision["annual_rate_pct"]))
        offers = [build_offer("requested", profile, request, risk, policy, rate=rate)]
    elif decision:
        decision["outcome"] = "declined"
    updated = store.move(record, action, actor=reviewer, note=note, decision=decision or None)
    if offers:
        store.replace_offers(updated, offers)
    return updated


def _complete(store: ApplicationStore, underwriter: Underwriter, record: ApplicationRecord) -> None:
    """Store the offers of a decided application that has none yet (a crashed submit)."""
    if record.decision is None or store.repos.offers.list_for(record.application_id, True):
        return
    profile, request, risk = store.decision_inputs(record)
    if risk is None:
        return
    decision = Decision.model_validate(_public(record.decision))
    offers, _ = offers_for(decision, profile, request, risk, underwriter.policy)
    store.replace_offers(record, offers)


def _underwrite(
    underwriter: Underwriter, profile: ApplicantProfile, request: LoanRequest
) -> Underwriting | None:
    try:
        return underwriter.underwrite(profile, request)
    except UpstreamUnavailable:
        log.warning("credit model unavailable; application kept as received")
        return None


def _stored_decision(done: Underwriting, terms: LoanRequest | None) -> dict[str, Any]:
    """Return the decision as stored: public fields plus the risk (and re-priced terms)."""
    stored = {
        **done.offer_set.decision.model_dump(mode="json"),
        "_risk": done.risk.model_dump(mode="json"),
    }
    if terms is not None:
        stored["_request"] = terms.model_dump(mode="json")
    return stored


def _public(decision: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in decision.items() if not k.startswith("_")}
