"""A rule-based stand-in for the credit model: same Protocol, predictable tiers for tests."""

from __future__ import annotations

from lending.schemas import ApplicantProfile, LoanRequest, RiskAssessment

# (minimum credit score, tier, probability of default) - mirrors the contract's cutoffs.
BANDS = [(760, "A", 0.03), (700, "B", 0.07), (660, "C", 0.15), (620, "D", 0.25)]


class RuleScorer:
    """Tier by credit score alone (unknown score = tier C); records every call."""

    def __init__(self, model_version: str = "fake-rules-1") -> None:
        self.model_version = model_version
        self.calls: list[tuple[ApplicantProfile, LoanRequest]] = []

    def assess(self, profile: ApplicantProfile, request: LoanRequest) -> RiskAssessment:
        self.calls.append((profile, request))
        score = profile.credit_score
        tier, pd = "E", 0.5
        if score is None:
            tier, pd = "C", 0.15
        else:
            for floor, band_tier, band_pd in BANDS:
                if score >= floor:
                    tier, pd = band_tier, band_pd
                    break
        reasons = (
            [] if tier in ("A", "B") else ["Credit score is below the level of low-risk applicants"]
        )
        return RiskAssessment(
            probability_of_default=pd,
            risk_tier=tier,
            model_version=self.model_version,
            reasons=reasons,
        )


class FailingScorer:
    """A scorer whose endpoint is down."""

    def assess(self, profile: ApplicantProfile, request: LoanRequest) -> RiskAssessment:
        from core.errors import UpstreamUnavailable

        raise UpstreamUnavailable("scoring endpoint timed out")
