from decimal import Decimal

import pytest

from lending.amortization import monthly_payment
from lending.decision import decide
from lending.schemas import LoanRequest
from tests.unit.lending.lending_strategies import POLICY, applicant, risk

REQ = LoanRequest(product="car", amount=Decimal(20000), tenure_months=48)


@pytest.mark.parametrize(
    ("tier", "outcome"),
    [
        ("A", "approved"),
        ("B", "approved"),
        ("C", "conditionally_approved"),
        ("D", "referred"),
        ("E", "declined"),
    ],
)
def test_eligible_applicant_gets_the_tier_band(tier, outcome):
    assert decide(applicant(), REQ, risk(tier), POLICY).outcome == outcome


def test_decision_records_versions_rate_payment_and_dti():
    d = decide(applicant(), REQ, risk("B", "model-7"), POLICY)
    assert d.versions.policy_version == POLICY.version
    assert d.versions.policy_hash == POLICY.hash
    assert d.versions.model_version == "model-7"
    assert d.annual_rate_pct == POLICY.priced_rate("car", "B")
    assert d.monthly_payment == monthly_payment(REQ.amount, d.annual_rate_pct, 48)
    assert d.dti_pct > Decimal(10)  # 600 existing + new payment over 6000/month
    assert d.reasons == []


def test_conditional_approval_lists_documents():
    d = decide(applicant(), REQ, risk("C"), POLICY)
    assert d.required_documents[: len(POLICY.conditional_documents)] == POLICY.conditional_documents
    assert POLICY.products["car"].documents[0] in d.required_documents
    assert [r.code for r in d.reasons] == ["RISK_TIER"]


def test_rule_failure_declines_even_in_tier_a_and_lists_all_reasons():
    a = applicant(credit_score=640, monthly_debt_payments=Decimal(2500))
    d = decide(a, REQ, risk("A"), POLICY)
    assert d.outcome == "declined"
    assert [r.code for r in d.reasons] == ["CREDIT_SCORE_BELOW_MIN", "DTI_ABOVE_MAX"]


def test_missing_score_alone_refers_to_a_person():
    d = decide(applicant(credit_score=None), REQ, risk("A"), POLICY)
    assert d.outcome == "referred"


def test_model_reasons_are_attached_to_non_approvals():
    r = risk("E").model_copy(update={"reasons": ["Too many recent credit enquiries"]})
    d = decide(applicant(), REQ, r, POLICY)
    assert d.reasons[-1].code == "MODEL_REASON"
    assert d.reasons[-1].message == "Too many recent credit enquiries"


def test_protected_attributes_do_not_change_the_decision():
    base = decide(applicant(marital_status="Single", age=30), REQ, risk("B"), POLICY)
    other = decide(applicant(marital_status="Married", age=64), REQ, risk("B"), POLICY)
    assert base == other
