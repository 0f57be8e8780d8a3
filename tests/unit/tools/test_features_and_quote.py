from decimal import Decimal

import pytest

from core.errors import NotFound, UpstreamUnavailable
from lending.schemas import ApplicantProfile, LoanRequest
from tests.unit.tools.conftest import PROFILE
from tools.features import to_features
from tools.quote import quote_loan
from tools.risk import LazyRiskScorer, ModelRiskScorer


def test_feature_row_matches_the_contract():
    profile = ApplicantProfile.model_validate({**PROFILE, "monthly_debt_payments": 850})
    row = to_features(profile, LoanRequest(product="gold", amount=Decimal(5000), tenure_months=13))
    assert row["loan_purpose"] == "Personal"  # gold is scored as Personal
    assert row["loan_term"] == 2  # years, rounded up
    assert row["debt_to_income_ratio"] == 12.0  # percent of monthly income
    assert "age" not in row and "marital_status" not in row


class _Result:
    probability_of_default = 0.07
    risk_tier = "B"
    model_version = "m1"

    class _Reason:
        text = "Few years in current job"

    reasons = [_Reason()]


class _Model:
    def score(self, rows, explain=False):
        assert explain is True and len(rows) == 1
        return [_Result()]


def test_model_scorer_keeps_reason_texts():
    profile = ApplicantProfile.model_validate(PROFILE)
    request = LoanRequest(product="car", amount=Decimal(20000), tenure_months=48)
    risk = ModelRiskScorer(_Model()).assess(profile, request)
    assert (risk.risk_tier, risk.model_version, risk.reasons) == (
        "B",
        "m1",
        ["Few years in current job"],
    )


def test_missing_model_is_upstream_unavailable():
    def load():
        raise NotFound("no champion model")

    profile = ApplicantProfile.model_validate(PROFILE)
    request = LoanRequest(product="car", amount=Decimal(20000), tenure_months=48)
    with pytest.raises(UpstreamUnavailable):
        LazyRiskScorer(load).assess(profile, request)


def test_quote_is_the_standard_rate():
    out = quote_loan.invoke({"product": "car", "amount": 20000, "tenure_months": 48})
    assert out["annual_rate_pct"] == "8.65" and out["monthly_payment"] == "494.38"
