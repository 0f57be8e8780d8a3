"""What the application service needs from outside: the credit model."""

from __future__ import annotations

from typing import Protocol

from lending.schemas import ApplicantProfile, LoanRequest, RiskAssessment


class RiskScorer(Protocol):
    """Estimates an applicant's probability of default (the credit model, local or remote)."""

    def assess(self, profile: ApplicantProfile, request: LoanRequest) -> RiskAssessment:
        """Return the risk assessment for this applicant and request."""
        ...
