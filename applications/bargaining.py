"""Counter-asks and side-by-sides on an application's stored offers.

A negotiated offer is stored beside the others (never replacing them), so the applicant can
still choose an earlier one; option numbers continue after the existing offers.
"""

from __future__ import annotations

from dataclasses import dataclass

from applications.lifecycle import Action, next_status
from applications.snapshot import OfferView
from applications.store import ApplicationStore, view
from applications.underwriting import Underwriter
from core.errors import Conflict
from lending.negotiation import negotiate
from lending.schemas import Comparison, NegotiationAsk, NegotiationResult, Offer


@dataclass(frozen=True)
class Negotiation:
    """The lending verdict on a counter-ask and the offers it added (already stored)."""

    result: NegotiationResult
    offers: list[OfferView]


def counter(
    store: ApplicationStore,
    underwriter: Underwriter,
    application_id: str,
    offer_ref: str,
    ask: NegotiationAsk,
) -> Negotiation:
    """Answer a counter-ask on one offer; a new offer it yields is stored beside the rest."""
    record = store.get(application_id)
    next_status(record.status, Action.NEGOTIATE)
    profile, request, risk = store.decision_inputs(record)
    if risk is None:
        raise Conflict("this application has no decision to negotiate on yet")
    _, current = store.find_offer(application_id, offer_ref)
    result = negotiate(
        profile, request, risk, ask, underwriter.policy, current=Offer.model_validate(current.terms)
    )
    made = [o for o in (result.offer, result.alternative) if o is not None]
    views = [view(option, o) for option, o in store.add_offers(record, made)]
    return Negotiation(result, views)


def compare(
    store: ApplicationStore, underwriter: Underwriter, application_id: str, refs: list[str]
) -> tuple[list[OfferView], Comparison]:
    """Return the named offers (each once) and their side-by-side."""
    found = [store.find_offer(application_id, r) for r in dict.fromkeys(refs)]
    comparison = underwriter.compare([Offer.model_validate(o.terms) for _, o in found])
    return [v for v, _ in found], comparison
