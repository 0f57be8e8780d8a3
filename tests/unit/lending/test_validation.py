from decimal import Decimal
from typing import Any

import pytest

from core.errors import ValidationFailed
from lending.validation import parse_applicant, parse_request

APPLICANT: dict[str, Any] = {
    "age": 35,
    "annual_income": "72000",
    "monthly_debt_payments": "600",
    "credit_score": 720,
    "employment_status": "Employed",
    "years_employed": 5,
    "savings_balance": "5000",
    "checking_balance": "2000",
    "home_ownership": "Rent",
    "num_dependents": 1,
    "education_level": "Bachelor's",
    "existing_loans": 1,
}


def test_valid_input_parses():
    assert parse_applicant(APPLICANT).annual_income == Decimal(72000)
    r = parse_request({"product": "car", "amount": "20000", "tenure_months": 48})
    assert r.amount == Decimal(20000)


@pytest.mark.parametrize(
    ("patch", "field", "fragment"),
    [
        ({"annual_income": "0"}, "annual_income", "above 0"),
        ({"annual_income": "-100"}, "annual_income", "USD/year"),
        ({"age": 12}, "age", "at least 18"),
        ({"credit_score": 900}, "credit_score", "at most 850"),
    ],
)
def test_bad_applicant_names_field_and_range(patch, field, fragment):
    with pytest.raises(ValidationFailed) as err:
        parse_applicant({**APPLICANT, **patch})
    assert err.value.field == field
    assert fragment in err.value.message


@pytest.mark.parametrize(
    ("data", "field", "fragment"),
    [
        ({"product": "boat", "amount": "1000", "tenure_months": 12}, "product", "'car'"),
        ({"product": "car", "amount": "-5", "tenure_months": 12}, "amount", "above 0"),
        ({"product": "car", "amount": "1e15", "tenure_months": 12}, "amount", "at most"),
        ({"product": "car", "amount": "20000", "tenure_months": 240}, "tenure_months", "6 and 84"),
        ({"product": "home", "amount": "20000", "tenure_months": 240}, "amount", "$50,000"),
    ],
)
def test_bad_request_names_field_and_range(data, field, fragment):
    with pytest.raises(ValidationFailed) as err:
        parse_request(data)
    assert err.value.field == field
    assert fragment in err.value.message
