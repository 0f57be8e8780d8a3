"""Decision orchestration shared by the API and the agent: score, decide, price, offer.

Profile + request -> risk score -> eligibility, pricing, decision and offers (all numbers
from lending/ and scoring/).

Plain classes with injected dependencies, no LangChain: the API routes call these directly
and the agent's tools can wrap them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

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
from tools.ports import RiskScorer

# What an application's status becomes once the lending decision is known: a referral waits
# for a loan officer; conditional approvals are approvals whose documents are listed.
StatusAfterDecision = Literal["approved", "under_review", "declined"]
STATUS_FOR_OUTCOME: dict[str, StatusAfterDecision] = {
    "approved": "approved",
    "conditionally_approved": "approved",
    "referred": "under_review",
    "declined": "declined",
}


@dataclass(frozen=True)
class Underwriting:
    """The risk assessment, decision and offers for one profile and request."""

    risk: RiskAssessment
    offer_set: OfferSet

    @property
    def status(self) -> StatusAfterDecision:
        """Return the application status this decision leads to."""
        return STATUS_FOR_OUTCOME[self.offer_set.decision.outcome]


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
