"""The application service: the one owner of an application's life.

Create (idempotent), decide, price, re-price, review, negotiate, compare, accept and
withdraw all happen here, for the chat tools and the REST routes alike. Every status change
goes through the transition table (`applications.lifecycle`) and every offer made is stored
in the offers repository; reads never write.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from applications import conditions
from applications.conditions import DocumentCondition
from applications.lifecycle import Action, next_status
from applications.snapshot import OfferView, ThreadApplication
from applications.underwriting import Underwriter, Underwriting
from core.clock import Clock
from core.errors import Conflict, NotFound, UpstreamUnavailable, ValidationFailed
from core.ids import new_id
from lending.messages import unknown_document
from lending.negotiation import negotiate
from lending.offers import build_offer, offers_for
from lending.policy import Policy
from lending.schemas import (
    ApplicantProfile,
    Comparison,
    Decision,
    LoanRequest,
    NegotiationAsk,
    NegotiationResult,
    Offer,
    RiskAssessment,
)
from storage.records import ApplicationRecord, ApplicationStatus, OfferRecord, StatusChange
from storage.repositories import Repositories

log = logging.getLogger(__name__)
S = ApplicationStatus
ACTION_FOR_OUTCOME = {
    "approved": Action.APPROVE,
    "conditionally_approved": Action.APPROVE,
    "referred": Action.REFER,
    "declined": Action.DECLINE,
}


def request_hash(profile: ApplicantProfile, request: LoanRequest) -> str:
    """Return a stable hash of what was submitted (detects a key reused for another request)."""
    body = {"profile": profile.model_dump(mode="json"), "request": request.model_dump(mode="json")}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Submission:
    """A stored application and whether this call created it (False: a replay)."""

    record: ApplicationRecord
    created: bool


@dataclass(frozen=True)
class Negotiation:
    """The lending verdict on a counter-ask and the offers it added (already stored)."""

    result: NegotiationResult
    offers: list[OfferView]


class ApplicationService:
    """Creates, decides, prices and changes applications; the only writer of their records."""

    def __init__(
        self,
        repos: Repositories,
        underwriter: Underwriter,
        clock: Clock,
        make_id: Callable[[str], str] = new_id,
    ) -> None:
        self.repos = repos
        self.underwriter = underwriter
        self.policy: Policy = underwriter.policy
        self.clock = clock
        self._make_id = make_id

    # -- reads (never write) -------------------------------------------------------------
    def get(self, application_id: str) -> ApplicationRecord:
        """Return the application, or `NotFound`."""
        record = self.repos.applications.get(application_id)
        if record is None:
            raise NotFound(f"no application {application_id!r}", field="application_id")
        return record

    def owned(self, owner: str, application_id: str, *, staff: bool = False) -> ApplicationRecord:
        """Return `owner`'s application; anyone else's is 'not found' (staff may read any)."""
        record = self.repos.applications.get(application_id)
        if record is None or not (staff or record.owner == owner):
            raise NotFound(f"no application {application_id!r}", field="application_id")
        return record

    def for_thread(self, owner: str, thread_id: str) -> ApplicationRecord | None:
        """Return the newest application submitted in `owner`'s conversation `thread_id`."""
        found = [
            a for a in self.repos.applications.list_for(owner, 200) if a.thread_id == thread_id
        ]
        return found[0] if found else None

    def offers(self, application_id: str) -> list[OfferRecord]:
        """Return the active and accepted offers, oldest first (option 1 is the first)."""
        return self.repos.offers.list_for(application_id)

    def snapshot(self, application_id: str) -> ThreadApplication:
        """Return the conversation's typed view of the stored application and its offers."""
        record = self.get(application_id)
        views = [_view(str(i), o) for i, o in enumerate(self.offers(application_id), start=1)]
        outcome = record.decision.get("outcome") if record.decision else None
        return ThreadApplication(
            application_id=record.application_id,
            status=record.status,
            outcome=outcome,
            product=str(record.request["product"]),
            amount=Decimal(str(record.request["amount"])),
            tenure_months=int(record.request["tenure_months"]),
            offers=views,
            accepted_offer_id=next((v.option for v in views if v.status == "accepted"), None),
        )

    def documents(self, record: ApplicationRecord) -> list[DocumentCondition]:
        """Return the documents a conditional approval asks for, each provided or not."""
        return conditions.conditions(record)

    def accept_blocked(self, record: ApplicationRecord) -> str | None:
        """Return why Accept waits for documents (the applicant's words), or None if it need not."""
        return conditions.blocked_reason(record, self.policy)

    def find_offer(self, application_id: str, ref: str) -> tuple[OfferView, OfferRecord]:
        """Return the offer `ref` names (a stored id or an option number) on this application.

        Raises:
            NotFound: no such offer; the message lists the options there are.
        """
        stored = self.offers(application_id)
        for i, offer in enumerate(stored, start=1):
            if ref in (offer.offer_id, str(i)):
                return _view(str(i), offer), offer
        for offer in self.repos.offers.list_for(application_id, include_old=True):
            if offer.offer_id == ref:  # superseded: still readable, no longer acceptable
                return _view("-", offer), offer
        options = ", ".join(str(i) for i in range(1, len(stored) + 1)) or "none"
        raise NotFound(
            f"there is no offer {ref!r} on this application; the options are: {options}",
            field="offer_id",
        )

    def decision_inputs(
        self, record: ApplicationRecord
    ) -> tuple[ApplicantProfile, LoanRequest, RiskAssessment | None]:
        """Return the profile, the terms and the stored risk the current decision is on.

        A re-price keeps its terms beside the decision (`_request`); the submitted request
        stays as it was sent.
        """
        risk = (record.decision or {}).get("_risk")
        terms = (record.decision or {}).get("_request") or record.request
        return (
            ApplicantProfile.model_validate(record.profile),
            LoanRequest.model_validate(terms),
            RiskAssessment.model_validate(risk) if risk else None,
        )

    # -- create and decide ---------------------------------------------------------------
    def submit(
        self,
        owner: str,
        profile: ApplicantProfile,
        request: LoanRequest,
        *,
        idempotency_key: str | None,
        thread_id: str | None = None,
    ) -> Submission:
        """Store, decide and price an application once per (owner, idempotency key).

        A replay returns the stored application; if an earlier attempt died between storing
        the application and its offers, the replay stores the offers (priced from the stored
        decision inputs), so a retried submission always ends complete.
        """
        digest = request_hash(profile, request)
        done = self._underwrite(profile, request)
        now = self.clock.now()
        history = [StatusChange(status=S.RECEIVED, at=now, actor="system")]
        status = S.RECEIVED
        decision: dict[str, Any] | None = None
        if done is not None:
            outcome = done.offer_set.decision.outcome
            status = next_status(S.RECEIVED, ACTION_FOR_OUTCOME[outcome])
            decision = _stored_decision(done, None)
            history.append(StatusChange(status=status, at=now, actor="system", note=outcome))
        record = ApplicationRecord(
            application_id=self._make_id("app"),
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
        stored, created = self.repos.applications.submit(record, idempotency_key, digest)
        if not created:
            self._complete(stored)
        elif done is not None:
            self._replace_offers(stored, done.offer_set.offers)
        return Submission(stored, created)

    def _complete(self, record: ApplicationRecord) -> None:
        """Store the offers of a decided application that has none yet (a crashed submit)."""
        if record.decision is None or self.repos.offers.list_for(record.application_id, True):
            return
        profile, request, risk = self.decision_inputs(record)
        if risk is None:
            return
        decision = Decision.model_validate(_public(record.decision))
        offers, _ = offers_for(decision, profile, request, risk, self.policy)
        self._replace_offers(record, offers)

    def _underwrite(self, profile: ApplicantProfile, request: LoanRequest) -> Underwriting | None:
        try:
            return self.underwriter.underwrite(profile, request)
        except UpstreamUnavailable:
            log.warning("credit model unavailable; application kept as received")
            return None

    def _replace_offers(self, record: ApplicationRecord, offers: list[Offer]) -> None:
        self.repos.offers.replace_active(record.application_id, self._records(record, offers))

    def _records(self, record: ApplicationRecord, offers: list[Offer]) -> list[OfferRecord]:
        """Return `offers` as records, stamped after every earlier offer of the application.

        Stores list offers by creation time and option numbers follow that order, so a new
        offer never sorts before an older one (even under a frozen or skewed clock).
        """
        now = self.clock.now()
        earlier = self.repos.offers.list_for(record.application_id, include_old=True)
        if earlier:
            now = max(now, max(o.created_at for o in earlier) + timedelta(microseconds=1))
        return [
            OfferRecord(
                offer_id=self._make_id("ofr"),
                application_id=record.application_id,
                owner=record.owner,
                terms=o.model_dump(mode="json"),
                # a microsecond apart: every store lists a set in the order it was made
                created_at=now + timedelta(microseconds=i),
            )
            for i, o in enumerate(offers)
        ]

    def _move(
        self,
        record: ApplicationRecord,
        action: Action,
        *,
        actor: str,
        note: str = "",
        decision: dict[str, Any] | None = None,
    ) -> ApplicationRecord:
        """Apply `action` through the transition table; a same-status move writes nothing."""
        to = next_status(record.status, action)
        if to == record.status and decision is None:
            return record
        return self.repos.applications.transition(
            record.application_id,
            to,
            expected=record.status,
            actor=actor,
            at=self.clock.now(),
            note=note,
            decision=decision,
        )

    # -- change ---------------------------------------------------------------------------
    def reprice(
        self,
        application_id: str,
        actor: str,
        *,
        amount: Decimal | None = None,
        tenure_months: int | None = None,
    ) -> tuple[ApplicationRecord, Underwriting]:
        """Re-decide an approved application on new terms; its offers are replaced.

        Raises:
            Conflict: not approved, or the new terms would not be approved (nothing changes).
        """
        record = self.get(application_id)
        next_status(record.status, Action.REPRICE)  # refuse early: not open to offers
        profile, request, _ = self.decision_inputs(record)
        terms, done = self.underwriter.reprice(
            profile, request, amount=amount, tenure_months=tenure_months
        )
        decision = done.offer_set.decision
        if ACTION_FOR_OUTCOME[decision.outcome] is not Action.APPROVE:
            # Exploring other terms never costs the applicant the approval they have.
            why = decision.reasons[0].message if decision.reasons else decision.outcome
            raise Conflict(
                f"on those terms the decision would be {decision.outcome.replace('_', ' ')}"
                f" ({why}); the application and its offers are unchanged",
                field="amount",
            )
        updated = self._move(
            record,
            Action.REPRICE,
            actor=actor,
            note=f"re-priced: {terms.amount} over {terms.tenure_months} months",
            decision=conditions.carried(record.decision, _stored_decision(done, terms)),
        )
        self._replace_offers(updated, done.offer_set.offers)
        return updated, done

    def review(
        self, application_id: str, reviewer: str, outcome: str, note: str = ""
    ) -> ApplicationRecord:
        """Record a loan officer's verdict on a referred application; an approval is priced."""
        record = self.get(application_id)
        approve = outcome in ("approved", "conditionally_approved")
        action = Action.REVIEW_APPROVE if approve else Action.REVIEW_DECLINE
        next_status(record.status, action)
        profile, request, risk = self.decision_inputs(record)
        decision = dict(record.decision or {})
        offers: list[Offer] = []
        if approve and risk is not None and decision:
            decision["outcome"] = outcome
            if outcome == "conditionally_approved" and not decision.get("required_documents"):
                product = str(record.request["product"])
                decision["required_documents"] = conditions.policy_documents(self.policy, product)
            rate = Decimal(str(decision["annual_rate_pct"]))
            offers = [build_offer("requested", profile, request, risk, self.policy, rate=rate)]
        elif decision:
            decision["outcome"] = "declined"
        updated = self._move(record, action, actor=reviewer, note=note, decision=decision or None)
        if offers:
            self._replace_offers(updated, offers)
        return updated

    def negotiate(self, application_id: str, offer_ref: str, ask: NegotiationAsk) -> Negotiation:
        """Answer a counter-ask on one offer; a new offer it yields is stored beside the rest."""
        record = self.get(application_id)
        next_status(record.status, Action.NEGOTIATE)
        profile, request, risk = self.decision_inputs(record)
        if risk is None:
            raise Conflict("this application has no decision to negotiate on yet")
        _, current = self.find_offer(application_id, offer_ref)
        result = negotiate(
            profile, request, risk, ask, self.policy, current=Offer.model_validate(current.terms)
        )
        made = [o for o in (result.offer, result.alternative) if o is not None]
        records = self._records(record, made)
        self.repos.offers.add(records)
        position = len(self.offers(application_id)) - len(records)
        views = [_view(str(position + i), o) for i, o in enumerate(records, start=1)]
        return Negotiation(result, views)

    def compare(self, application_id: str, refs: list[str]) -> tuple[list[OfferView], Comparison]:
        """Return the named offers and their side-by-side."""
        found = [self.find_offer(application_id, r) for r in dict.fromkeys(refs)]
        comparison = self.underwriter.compare([Offer.model_validate(o.terms) for _, o in found])
        return [v for v, _ in found], comparison

    def accept(self, application_id: str, actor: str, offer_ref: str) -> OfferRecord:
        """Accept one existing active offer; the application becomes offer_accepted.

        A conditional approval is accepted only once its documents are in, unless the policy
        lets them follow (`acceptance.documents_before_acceptance`).

        Raises:
            NotFound: the offer does not exist on this application.
            Conflict: the application or the offer is not open to acceptance, or documents
                are still needed (the message names them).
        """
        record = self.get(application_id)
        _, offer = self.find_offer(application_id, offer_ref)
        next_status(record.status, Action.ACCEPT)
        blocked = self.accept_blocked(record)
        if blocked is not None:
            raise Conflict(blocked, field="documents")
        accepted = self.repos.offers.accept(offer.offer_id)
        self._move(record, Action.ACCEPT, actor=actor, note=f"accepted {offer.offer_id}")
        return accepted

    def provide_document(
        self, application_id: str, actor: str, name: str, document_id: str | None = None
    ) -> ApplicationRecord:
        """Record that a document the conditional approval asks for is in (optionally a file).

        Marking the same document again (with the same file) changes nothing.

        Raises:
            Conflict: the application is not approved (nothing is asked for any more).
            ValidationFailed: the decision does not ask for `name` (the message lists what it does).
            NotFound: `document_id` is not one of the applicant's stored documents for it.
        """
        record = self.get(application_id)
        next_status(record.status, Action.PROVIDE_DOCUMENT)
        required = conditions.required_documents(record)
        if name not in required:
            raise ValidationFailed(unknown_document(name, required), field="name")
        if document_id is not None:
            self._check_file(record, document_id)
        current = next(c for c in conditions.conditions(record) if c.name == name)
        if current.provided and current.document_id == document_id:
            return record
        decision = conditions.with_provided(
            record.decision or {}, name, self.clock.now(), document_id
        )
        return self._move(
            record,
            Action.PROVIDE_DOCUMENT,
            actor=actor,
            note=f"document provided: {name}",
            decision=decision,
        )

    def _check_file(self, record: ApplicationRecord, document_id: str) -> None:
        doc = self.repos.documents.get(document_id)
        if (
            doc is None
            or doc.owner != record.owner
            or doc.status != "stored"
            or doc.application_id not in (None, record.application_id)
        ):
            raise NotFound(f"no uploaded document {document_id!r}", field="document_id")

    def withdraw(self, application_id: str, actor: str, reason: str = "") -> ApplicationRecord:
        """Withdraw; an accepted offer only within the policy's cooling-off window."""
        record = self.get(application_id)
        if record.status == S.OFFER_ACCEPTED:
            days = self.policy.acceptance.cooling_off_days
            accepted_at = next(
                (c.at for c in reversed(record.history) if c.status == S.OFFER_ACCEPTED),
                record.updated_at,
            )
            if self.clock.now() - accepted_at > timedelta(days=days):
                raise Conflict(
                    f"the {days}-day cooling-off period after accepting this offer has ended,"
                    " so it can no longer be withdrawn here; please contact us",
                    field="status",
                )
        return self._move(record, Action.WITHDRAW, actor=actor, note=reason)


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


def public_decision(record: ApplicationRecord) -> Decision | None:
    """Return the stored decision without internal fields."""
    return Decision.model_validate(_public(record.decision)) if record.decision else None


def _view(option: str, offer: OfferRecord) -> OfferView:
    t = offer.terms
    return OfferView(
        option=option,
        offer_id=offer.offer_id,
        status=offer.status,
        kind=str(t["kind"]),
        amount=Decimal(str(t["amount"])),
        tenure_months=int(t["tenure_months"]),
        annual_rate_pct=Decimal(str(t["annual_rate_pct"])),
        apr_pct=Decimal(str(t["apr_pct"])),
        monthly_payment=Decimal(str(t["monthly_payment"])),
        total_cost=Decimal(str(t["total_cost"])),
    )
