from decimal import Decimal

import pytest

from core.errors import ValidationFailed
from lending.amortization import monthly_payment
from lending.eligibility import (
    applicant_failures,
    check_request,
    dti_pct,
    fits_dti,
    max_affordable_payment,
    request_failures,
)
from lending.schemas import LoanRequest
from tests.unit.lending.lending_strategies import POLICY, applicant


def req(**kw):
    base = {"product": "car", "amount": Decimal(20000), "tenure_months": 48}
    base.update(kw)
    return LoanRequest(**base)


@pytest.mark.parametrize(
    ("kw", "field", "fragment"),
    [
        ({"amount": Decimal(60000)}, "amount", "$5,000 and $50,000"),
        ({"amount": Decimal(100)}, "amount", "$5,000 and $50,000"),
        ({"tenure_months": 120}, "tenure_months", "between 6 and 84 months"),
        (
            {"product": "home", "amount": Decimal(100000), "tenure_months": 12},
            "tenure_months",
            "24 and 360",
        ),
        ({"product": "gold", "amount": Decimal(5000), "tenure_months": 12}, "gold_value", "75"),
    ],
)
def test_bad_terms_name_the_field_and_the_range(kw, field, fragment):
    with pytest.raises(ValidationFailed) as err:
        check_request(req(**kw), POLICY)
    assert err.value.field == field
    assert fragment in err.value.message


def test_every_failed_rule_is_reported_not_only_the_first():
    a = applicant(
        age=19,
        annual_income=Decimal(18000),
        credit_score=610,
        monthly_debt_payments=Decimal(1200),
    )
    r = req(product="home", amount=Decimal(300000), tenure_months=360)
    codes = [x.code for x in applicant_failures(a, r, POLICY)]
    assert codes == [
        "AGE_BELOW_MIN",
        "CREDIT_SCORE_BELOW_MIN",
        "ANNUAL_INCOME_BELOW_MIN",
        "MONTHLY_INCOME_BELOW_MIN",
    ]
    payment = monthly_payment(r.amount, Decimal("10"), r.tenure_months)
    assert [x.code for x in request_failures(a, r, payment, POLICY)] == ["DTI_ABOVE_MAX"]


def test_reasons_carry_limit_and_actual():
    (reason,) = applicant_failures(applicant(credit_score=640), req(), POLICY)
    assert (reason.code, reason.field, reason.limit, reason.actual) == (
        "CREDIT_SCORE_BELOW_MIN",
        "credit_score",
        "650",
        "640",
    )


def test_missing_score_is_its_own_reason():
    (reason,) = applicant_failures(applicant(credit_score=None), req(), POLICY)
    assert reason.code == "CREDIT_SCORE_MISSING"


def test_dti_includes_the_new_payment():
    a = applicant(annual_income=Decimal(60000), monthly_debt_payments=Decimal(1000))
    # (1000 + 500) / 5000 = 30%
    assert dti_pct(a, req(), Decimal(500)) == Decimal("30.00")
    assert dti_pct(a, req(), Decimal(0)) == Decimal("20.00")


def test_dti_cap_is_exact_at_the_boundary():
    a = applicant(annual_income=Decimal(60000), monthly_debt_payments=Decimal(1000))
    # car cap 35% of 5000 = 1750 -> 750 of room
    assert max_affordable_payment(a, req(), POLICY) == Decimal("750.00")
    assert fits_dti(a, req(), Decimal("750.00"), POLICY)
    assert not fits_dti(a, req(), Decimal("750.01"), POLICY)


def test_co_borrower_income_counts():
    a = applicant(annual_income=Decimal(24000), monthly_debt_payments=Decimal(0))
    alone = [x.code for x in applicant_failures(a, req(), POLICY)]
    assert "MONTHLY_INCOME_BELOW_MIN" in alone
    helped = req(co_borrower_annual_income=Decimal(20000))
    assert applicant_failures(a, helped, POLICY) == []


def test_gold_ltv_rule():
    r = req(product="gold", amount=Decimal(8000), tenure_months=12, gold_value=Decimal(10000))
    (reason,) = request_failures(applicant(), r, Decimal(100), POLICY)
    assert reason.code == "LTV_ABOVE_MAX"
    assert reason.limit == "7500.00"
    ok = r.model_copy(update={"amount": Decimal(7500)})
    assert request_failures(applicant(), ok, Decimal(100), POLICY) == []
