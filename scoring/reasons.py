"""Adverse-action reason statements (ECOA / Regulation B style) keyed by input feature.

Reasons are picked deterministically from SHAP values: the features that raised the probability
of default most, in order. Each statement says *what* hurt the application in plain language;
`actionable` marks factors an applicant can change, the only ones offered as improvement advice.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReasonTemplate:
    """A reason code, its statement and whether the applicant can act on it."""

    code: str
    text: str
    actionable: bool


# Codes follow the spirit of the standard adverse-action reason lists (short, factual, no jargon).
REASONS: dict[str, ReasonTemplate] = {
    "credit_score": ReasonTemplate("R01", "Credit score is too low for the amount requested", True),
    "debt_to_income_ratio": ReasonTemplate(
        "R02", "Debt obligations are too high relative to income", True
    ),
    "annual_income": ReasonTemplate(
        "R03", "Income is insufficient for the amount of credit requested", False
    ),
    "requested_loan_amount": ReasonTemplate(
        "R04", "Amount requested is too high relative to income", True
    ),
    "loan_to_income": ReasonTemplate(
        "R04", "Amount requested is too high relative to income", True
    ),
    "savings_balance": ReasonTemplate("R05", "Insufficient savings or cash reserves", True),
    "checking_balance": ReasonTemplate("R06", "Insufficient balance in deposit accounts", True),
    "existing_loans": ReasonTemplate("R07", "Too many existing credit obligations", True),
    "employment_status": ReasonTemplate(
        "R08", "Employment status does not show stable income", False
    ),
    "years_employed": ReasonTemplate("R09", "Length of employment is too short", False),
    "home_ownership": ReasonTemplate("R10", "Housing status indicates higher risk", False),
    "num_dependents": ReasonTemplate("R11", "Number of dependents relative to income", False),
    "loan_term": ReasonTemplate("R12", "Requested repayment term increases risk", True),
    "loan_purpose": ReasonTemplate("R13", "Type of credit requested carries higher risk", True),
    "education_level": ReasonTemplate("R14", "Education level relative to amount requested", False),
    # German Credit (UCI Statlog) names
    "status_of_existing_checking_account": ReasonTemplate(
        "R06", "Insufficient balance in deposit accounts", True
    ),
    "duration_in_month": ReasonTemplate("R12", "Requested repayment term increases risk", True),
    "credit_history": ReasonTemplate("R15", "Delinquent past or present credit obligations", False),
    "purpose": ReasonTemplate("R13", "Type of credit requested carries higher risk", True),
    "credit_amount": ReasonTemplate("R04", "Amount requested is too high relative to income", True),
    "amount_per_month": ReasonTemplate(
        "R04", "Amount requested is too high relative to income", True
    ),
    "savings_account_and_bonds": ReasonTemplate(
        "R05", "Insufficient savings or cash reserves", True
    ),
    "present_employment_since": ReasonTemplate("R09", "Length of employment is too short", False),
    "installment_rate_in_percentage_of_disposable_income": ReasonTemplate(
        "R02", "Debt obligations are too high relative to income", True
    ),
    "other_debtors_or_guarantors": ReasonTemplate("R16", "No co-applicant or guarantor", True),
    "present_residence_since": ReasonTemplate("R17", "Length of residence is too short", False),
    "property": ReasonTemplate("R18", "Insufficient collateral or assets", True),
    "other_installment_plans": ReasonTemplate("R07", "Too many existing credit obligations", True),
    "housing": ReasonTemplate("R10", "Housing status indicates higher risk", False),
    "number_of_existing_credits_at_this_bank": ReasonTemplate(
        "R07", "Too many existing credit obligations", True
    ),
    "job": ReasonTemplate("R08", "Employment status does not show stable income", False),
    "telephone": ReasonTemplate("R19", "Unable to verify contact information", True),
}


def template_for(feature: str) -> ReasonTemplate:
    """Return the reason for a feature; unknown columns get a generic, non-actionable statement."""
    found = REASONS.get(feature)
    if found is not None:
        return found
    label = feature.replace("_", " ")
    return ReasonTemplate("R99", f"Credit profile factor: {label}", False)
