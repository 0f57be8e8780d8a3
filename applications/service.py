"""The application service: the one owner of an application's life, and its one façade.

Create (idempotent), decide, price, re-price, review, negotiate, compare, accept and withdraw
all happen here, for the chat tools and the REST routes alike. The façade only delegates; each
concern lives in a module named for it:

- `applications.store`: reading the records and the writes every use case shares (status
  moves through the transition table, offers stamped in the order they were made);
- `applications.decisions`: submission, decision, re-pricing and staff review;
- `applications.bargaining`: counter-asks and side-by-sides on stored offers;
- `applications.acceptance`: accepting, the documents a conditional approval waits for,
  withdrawing.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from applications import acceptance, bargaining, conditions, decisions
from applications.bargaining import Negotiation
from applications.conditions import DocumentCondition
from applications.decisions import Submission
from applications.snapshot import OfferView, ThreadApplication
from applications.store import ApplicationStore
from applications.underwriting import Underwriter, Underwriting
from core.clock import Clock
from core.ids import new_id
from lending.policy import Policy
from lending.schemas import (
    ApplicantProfile,
    Comparison,
    LoanRequest,
    NegotiationAsk,
    RiskAssessment,
)
from storage.records import ApplicationRecord, OfferRecord
from storage.repositories import Repositories

__all__ = ["ApplicationService", "Negotiation", "Submission"]


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
        self.store = ApplicationStore(repos, clock, make_id)

    # -- reads (never write) -------------------------------------------------------------
    def get(self, application_id: str) -> ApplicationRecord:
        """Return the application, or `NotFound`."""
        return self.store.get(application_id)

    def owned(self, owner: str, application_id: str, *, staff: bool = False) -> ApplicationRecord:
        """Return `owner`'s application; anyone else's is 'not found' (staff may read any)."""
        return self.store.owned(owner, application_id, staff=staff)

    def for_thread(self, owner: str, thread_id: str) -> ApplicationRecord | None:
        """Return the newest application submitted in `owner`'s conversation `thread_id`."""
        return self.store.for_thread(owner, thread_id)

    def offers(self, application_id: str) -> list[OfferRecord]:
        """Return the active and accepted offers, oldest first (option 1 is the first)."""
        return self.store.offers(application_id)

    def snapshot(self, application_id: str) -> ThreadApplication:
        """Return the conversation's typed view of the stored application and its offers."""
        return self.store.snapshot(application_id)

    def documents(self, record: ApplicationRecord) -> list[DocumentCondition]:
        """Return the documents a conditional approval asks for, each provided or not."""
        return conditions.conditions(record)

    def accept_blocked(self, record: ApplicationRecord) -> str | None:
        """Return why Accept waits for documents (the applicant's words), or None if it need not."""
        return conditions.blocked_reason(record, self.policy)

    def find_offer(self, application_id: str, ref: str) -> tuple[OfferView, OfferRecord]:
        """Return the offer `ref` names (a stored id or an option number), or `NotFound`."""
        return self.store.find_offer(application_id, ref)

    def decision_inputs(
        self, record: ApplicationRecord
    ) -> tuple[ApplicantProfile, LoanRequest, RiskAssessment | None]:
        """Return the profile, the terms and the stored risk the current decision is on."""
        return self.store.decision_inputs(record)

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
        """Store, decide and price an application once per (owner, idempotency key)."""
        return decisions.submit(
            self.store,
            self.underwriter,
            owner,
            profile,
            request,
            idempotency_key=idempotency_key,
            thread_id=thread_id,
        )

    def reprice(
        self,
        application_id: str,
        actor: str,
        *,
        amount: Decimal | None = None,
        tenure_months: int | None = None,
    ) -> tuple[ApplicationRecord, Underwriting]:
        """Re-decide an approved application on new terms; its offers are replaced."""
        return decisions.reprice(
            self.store,
            self.underwriter,
            application_id,
            actor,
            amount=amount,
            tenure_months=tenure_months,
        )

    def review(
        self, application_id: str, reviewer: str, outcome: str, note: str = ""
    ) -> ApplicationRecord:
        """Record a loan officer's verdict on a referred application; an approval is priced."""
        return decisions.review(
            self.store, self.underwriter, application_id, reviewer, outcome, note
        )

    # -- offers ---------------------------------------------------------------------------
    def negotiate(self, application_id: str, offer_ref: str, ask: NegotiationAsk) -> Negotiation:
        """Answer a counter-ask on one offer; a new offer it yields is stored beside the rest."""
        return bargaining.counter(self.store, self.underwriter, application_id, offer_ref, ask)

    def compare(self, application_id: str, refs: list[str]) -> tuple[list[OfferView], Comparison]:
        """Return the named offers and their side-by-side."""
        return bargaining.compare(self.store, self.underwriter, application_id, refs)

    # -- acceptance ---------------------------------------------------------------------
    def accept(self, application_id: str, actor: str, offer_ref: str) -> OfferRecord:
        """Accept one existing active offer (a conditional approval once its documents are in)."""
        return acceptance.accept(self.store, self.policy, application_id, actor, offer_ref)

    def provide_document(
        self, application_id: str, actor: str, name: str, document_id: str | None = None
    ) -> ApplicationRecord:
        """Record that a document the conditional approval asks for is in (optionally a file)."""
        return acceptance.provide_document(self.store, application_id, actor, name, document_id)

    def withdraw(self, application_id: str, actor: str, reason: str = "") -> ApplicationRecord:
        """Withdraw; an accepted offer only within the policy's cooling-off window."""
        return acceptance.withdraw(self.store, self.policy, application_id, actor, reason)
