"""Score, decide and price: profile + request -> risk -> decision and offers.

All numbers come from lending/ and scoring/; the application service is the only caller
that stores what comes out.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from applications.ports import RiskScorer
from lending.comparison import compare_offers
from lending.offers import make_offers
from lending.policy import Policy
from lending.schemas import (
    ApplicantProfile,
    Comparison,
    LoanRequest,
    Offer,
    OfferSet,
    RiskAssessment,
)


@dataclass(frozen=True)
class Underwriting:
    """The risk assessment, decision and offers for one profile and request."""

    risk: RiskAssessment
    offer_set: OfferSet


class Underwriter:
    """Scores, decides and prices; the one path from an application to a decision."""

    def __init__(self, scorer: RiskScorer, policy: Policy) -> None:
        self._scorer = scorer
        self.policy = policy

    def underwrite(self, profile: ApplicantProfile, request: LoanRequest) -> Underwriting:
        """Score the applicant and decide on the request as asked, with every offer we can make.

        Raises:
            ValidationFailed: the request is outside the product's policy ranges.
            UpstreamUnavailable: the credit model is not available.
        """
        risk = self._scorer.assess(profile, request)
        return Underwriting(risk=risk, offer_set=make_offers(profile, request, risk, self.policy))

    def reprice(
        self,
        profile: ApplicantProfile,
        request: LoanRequest,
        *,
        amount: Decimal | None = None,
        tenure_months: int | None = None,
    ) -> tuple[LoanRequest, Underwriting]:
        """Re-decide with changed terms (amount and/or tenure); the model scores the new terms."""
        update: dict[str, object] = {}
        if amount is not None:
            update["amount"] = amount
        if tenure_months is not None:
            update["tenure_months"] = tenure_months
        terms = LoanRequest.model_validate({**request.model_dump(), **update})
        return terms, self.underwrite(profile, terms)

    @staticmethod
    def compare(offers: list[Offer]) -> Comparison:
        """Return a side-by-side of `offers` with pros, cons and the best on each dimension."""
        return compare_offers(offers)
