"""Map an applicant and request to the credit model's feature row (CONTRACTS.md).

The model was trained on the seed dataset's columns: DTI in percent, the loan term in
whole years (rounded up), gold loans scored as Personal. age and marital_status are
protected and never sent.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from lending.schemas import ApplicantProfile, LoanRequest

PURPOSES = {
    "car": "Car",
    "home": "Home",
    "education": "Education",
    "medical": "Medical",
    "personal": "Personal",
    "gold": "Personal",
}


def debt_to_income_pct(profile: ApplicantProfile) -> float:
    """Return existing monthly debts as a percent of gross monthly income."""
    monthly_income = profile.annual_income / Decimal(12)
    return round(float(profile.monthly_debt_payments / monthly_income * 100), 2)


def to_features(profile: ApplicantProfile, request: LoanRequest) -> dict[str, Any]:
    """Return the feature dict the scoring model expects, keyed by training-column names."""
    return {
        "annual_income": float(profile.annual_income),
        "credit_score": profile.credit_score,
        "employment_status": profile.employment_status,
        "years_employed": profile.years_employed,
        "debt_to_income_ratio": debt_to_income_pct(profile),
        "savings_balance": float(profile.savings_balance),
        "checking_balance": float(profile.checking_balance),
        "home_ownership": profile.home_ownership,
        "num_dependents": profile.num_dependents,
        "education_level": profile.education_level,
        "loan_purpose": PURPOSES[request.product],
        "requested_loan_amount": float(request.amount),
        "existing_loans": profile.existing_loans,
        "loan_term": math.ceil(request.tenure_months / 12),
    }
