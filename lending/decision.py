"""The decision on a request exactly as asked: eligibility rules first, then the risk band.

Any failed hard rule declines. A missing credit score alone refers the file to a person. An
applicant who passes every rule gets the band their risk tier maps to in the policy
(approved / conditionally approved with documents / referred / declined).
"""

from __future__ import annotations

from lending.amortization import monthly_payment
from lending.eligibility import applicant_failures, check_request, dti_pct, request_failures
from lending.policy import Outcome, Policy, load_policy
from lending.schemas import (
    ApplicantProfile,
    Decision,
    LoanRequest,
    Reason,
    RiskAssessment,
    Versions,
)

_BAND_TEXT: dict[Outcome, str] = {
    "approved": "approved at this risk tier",
    "conditionally_approved": "approved on condition of the listed documents at this risk tier",
    "referred": "referred to a loan officer at this risk tier",
    "declined": "declined: the estimated risk of default is above what this policy accepts",
}


def versions_for(policy: Policy, risk: RiskAssessment) -> Versions:
    """Return the version stamp every decision and offer carries."""
    return Versions(
        policy_version=policy.version, policy_hash=policy.hash, model_version=risk.model_version
    )


def _outcome(failures: list[Reason], band: Outcome) -> Outcome:
    if any(r.code != "CREDIT_SCORE_MISSING" for r in failures) or band == "declined":
        return "declined"
    if failures:  # only the score is missing
        return "referred"
    return band


def decide(
    applicant: ApplicantProfile,
    request: LoanRequest,
    risk: RiskAssessment,
    policy: Policy | None = None,
) -> Decision:
    """Decide on `request` as asked; raises ValidationFailed for out-of-range input."""
    policy = policy or load_policy()
    product = check_request(request, policy)
    rate = policy.priced_rate(request.product, risk.risk_tier)
    payment = monthly_payment(request.amount, rate, request.tenure_months)
    failures = applicant_failures(applicant, request, policy) + request_failures(
        applicant, request, payment, policy
    )
    band = policy.tiers[risk.risk_tier].decision
    outcome = _outcome(failures, band)
    reasons = list(failures)
    if band != "approved":
        reasons.append(
            Reason(
                code="RISK_TIER",
                message=(
                    f"risk tier {risk.risk_tier} (estimated probability of default "
                    f"{risk.probability_of_default:.1%}): {_BAND_TEXT[band]}"
                ),
                field=None,
                limit=None,
                actual=risk.risk_tier,
            )
        )
    if outcome != "approved":
        reasons.extend(Reason(code="MODEL_REASON", message=text) for text in risk.reasons)
    documents = (
        list(policy.conditional_documents) + list(product.documents)
        if outcome == "conditionally_approved"
        else []
    )
    return Decision(
        outcome=outcome,
        reasons=reasons,
        product=request.product,
        amount=request.amount,
        tenure_months=request.tenure_months,
        risk_tier=risk.risk_tier,
        probability_of_default=risk.probability_of_default,
        annual_rate_pct=rate,
        monthly_payment=payment,
        dti_pct=dti_pct(applicant, request, payment),
        max_dti_pct=policy.max_dti_pct(request.product),
        required_documents=documents,
        versions=versions_for(policy, risk),
    )
