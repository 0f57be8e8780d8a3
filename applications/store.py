"""The stored application and its offers, read and written the one way every use case shares.

Reads never write. Writes go through `move` (the transition table, `applications.lifecycle`)
and through `replace_offers` / `add_offers`, which stamp each new offer after every earlier
one, so option numbers follow the order offers were made in every store.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

from applications.lifecycle import Action, next_status
from applications.snapshot import OfferView, ThreadApplication
from core.clock import Clock
from core.errors import NotFound
from lending.schemas import ApplicantProfile, LoanRequest, Offer, RiskAssessment
from storage.records import ApplicationRecord, OfferRecord
from storage.repositories import Repositories

_OFFER_LOCK_STRIPES = 64


class ApplicationStore:
    """The application and offer records behind the service, with their shared invariants."""

    def __init__(self, repos: Repositories, clock: Clock, make_id: Callable[[str], str]) -> None:
        self.repos = repos
        self.clock = clock
        self.make_id = make_id
        # A turn's tools run at once: three negotiations of one application must not stamp
        # their offers from the same "earlier" list, nor number them from the same count.
        self._offer_locks = [threading.Lock() for _ in range(_OFFER_LOCK_STRIPES)]

    def _offers_of(self, application_id: str) -> threading.Lock:
        """The lock that serialises writing `application_id`'s offers in this process."""
        return self._offer_locks[hash(application_id) % _OFFER_LOCK_STRIPES]

    # -- reads -----------------------------------------------------------------------------
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
        return self.repos.applications.for_thread(owner, thread_id)

    def offers(self, application_id: str) -> list[OfferRecord]:
        """Return the active and accepted offers, oldest first (option 1 is the first)."""
        return self.repos.offers.list_for(application_id)

    def snapshot(self, application_id: str) -> ThreadApplication:
        """Return the conversation's typed view of the stored application and its offers."""
        record = self.get(application_id)
        views = [view(str(i), o) for i, o in enumerate(self.offers(application_id), start=1)]
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

    def find_offer(self, application_id: str, ref: str) -> tuple[OfferView, OfferRecord]:
        """Return the offer `ref` names (a stored id or an option number) on this application.

        Raises:
            NotFound: no such offer; the message lists the options there are.
        """
        stored = self.offers(application_id)
        for i, offer in enumerate(stored, start=1):
            if ref in (offer.offer_id, str(i)):
                return view(str(i), offer), offer
        for offer in self.repos.offers.list_for(application_id, include_old=True):
            if offer.offer_id == ref:  # superseded: still readable, no longer acceptable
                return view("-", offer), offer
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

    # -- writes ----------------------------------------------------------------------------
    def replace_offers(self, record: ApplicationRecord, offers: list[Offer]) -> None:
        """Store `offers` as the application's active set (earlier active ones are superseded)."""
        with self._offers_of(record.application_id):
            records = self.offer_records(record, offers)
            self.repos.offers.replace_active(record.application_id, records)

    def add_offers(
        self, record: ApplicationRecord, offers: list[Offer]
    ) -> list[tuple[str, OfferRecord]]:
        """Store `offers` beside the active ones; return each record with its option number.

        The numbers are read in the same locked step as the write, so offers added at once
        by parallel tool calls each get their own number, the one the list will show.
        """
        with self._offers_of(record.application_id):
            records = self.offer_records(record, offers)
            self.repos.offers.add(records)
            active = [o.offer_id for o in self.offers(record.application_id)]
        return [(str(active.index(r.offer_id) + 1), r) for r in records]

    def offer_records(self, record: ApplicationRecord, offers: list[Offer]) -> list[OfferRecord]:
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
                offer_id=self.make_id("ofr"),
                application_id=record.application_id,
                owner=record.owner,
                terms=o.model_dump(mode="json"),
                # a microsecond apart: every store lists a set in the order it was made
                created_at=now + timedelta(microseconds=i),
            )
            for i, o in enumerate(offers)
        ]

    def move(
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


def view(option: str, offer: OfferRecord) -> OfferView:
    """Return a stored offer as the applicant is shown it, under option number `option`."""
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
