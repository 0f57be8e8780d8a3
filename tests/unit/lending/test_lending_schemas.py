from decimal import Decimal
from typing import get_args

import pytest
from pydantic import ValidationError

from lending.policy import load_policy
from lending.schemas import ApplicantProfile, LoanRequest, ProductName, RiskAssessment
from tests.unit.lending.lending_strategies import applicant


def test_applicant_fields_match_the_contract():
    assert set(ApplicantProfile.model_fields) == {
        "age",
        "annual_income",
        "monthly_debt_payments",
        "credit_score",
        "employment_status",
        "years_employed",
        "savings_balance",
        "checking_balance",
        "home_ownership",
        "marital_status",
        "num_dependents",
        "education_level",
        "existing_loans",
    }
    assert {"product", "amount", "tenure_months", "gold_value"} <= set(LoanRequest.model_fields)
    assert set(RiskAssessment.model_fields) == {
        "probability_of_default",
        "risk_tier",
        "model_version",
        "reasons",
    }


def test_units_are_stated():
    for name in ("annual_income", "monthly_debt_payments", "savings_balance"):
        assert "USD" in (ApplicantProfile.model_fields[name].description or "")
    assert "USD" in (LoanRequest.model_fields["amount"].description or "")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("annual_income", Decimal(0)),
        ("annual_income", Decimal(-5)),
        ("age", 17),
        ("credit_score", 900),
        ("monthly_debt_payments", Decimal(-1)),
    ],
)
def test_bad_applicant_values_are_rejected(field, value):
    with pytest.raises(ValidationError) as err:
        applicant(**{field: value})
    assert field in str(err.value)


def test_unknown_product_and_absurd_amounts_are_rejected():
    with pytest.raises(ValidationError):
        LoanRequest(product="boat", amount=Decimal(100), tenure_months=12)
    with pytest.raises(ValidationError):
        LoanRequest(product="car", amount=Decimal(-100), tenure_months=12)
    with pytest.raises(ValidationError):
        LoanRequest(product="car", amount=Decimal("1e12"), tenure_months=12)


def test_risk_tier_letters():
    with pytest.raises(ValidationError):
        RiskAssessment(probability_of_default=0.1, risk_tier="F", model_version="m")


def test_product_names_are_the_policy_catalogue():
    """Tool and schema signatures name exactly the products lending.policy defines."""
    assert set(get_args(ProductName)) == set(load_policy().products)
