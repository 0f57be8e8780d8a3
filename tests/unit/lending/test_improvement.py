from decimal import Decimal

from hypothesis import HealthCheck, given, settings

from lending.decision import decide
from lending.improvement import ACTIONABLE_FIELDS, apply_suggestion, improvement_suggestions
from lending.schemas import LoanRequest
from tests.unit.lending.lending_strategies import (
    POLICY,
    applicant,
    applicants,
    requests,
    risk,
    score_based_assess,
)

GOOD = {"approved", "conditionally_approved"}
REQ = LoanRequest(product="car", amount=Decimal(40000), tenure_months=36)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(a=applicants(), r=requests())
def test_applied_advice_flips_the_decision_and_spares_protected_attributes(a, r):
    before = decide(a, r, score_based_assess(a, r), POLICY)
    suggestions = improvement_suggestions(a, r, score_based_assess, POLICY)
    if before.outcome in GOOD:
        assert suggestions == []
    for s in suggestions:
        assert {(c.target, c.field) for c in s.changes} <= ACTIONABLE_FIELDS
        a2, r2 = apply_suggestion(a, r, s)
        assert (a2.age, a2.marital_status, a2.num_dependents) == (
            a.age,
            a.marital_status,
            a.num_dependents,
        )
        after = decide(a2, r2, score_based_assess(a2, r2), POLICY)
        assert after.outcome in GOOD
        assert after.outcome == s.resulting_outcome


def test_single_levers_for_an_unaffordable_request():
    a = applicant(
        annual_income=Decimal(60000), monthly_debt_payments=Decimal(900), credit_score=720
    )
    suggestions = improvement_suggestions(a, REQ, score_based_assess, POLICY)
    levers = {s.changes[0].lever: s.changes[0] for s in suggestions}
    assert set(levers) >= {"amount", "tenure", "debt_paydown", "co_borrower"}
    assert all(len(s.changes) == 1 for s in suggestions)
    # smallest change: one more step of amount no longer flips
    amount = levers["amount"].new_value
    bigger = REQ.model_copy(update={"amount": amount + POLICY.offers.amount_step})
    assert decide(a, bigger, score_based_assess(a, bigger), POLICY).outcome == "declined"
    # shortest term that flips; one month less does not
    tenure = int(levers["tenure"].new_value)
    shorter = REQ.model_copy(update={"tenure_months": tenure - 1})
    assert decide(a, shorter, score_based_assess(a, shorter), POLICY).outcome == "declined"
    assert levers["co_borrower"].current_value is None


def test_credit_score_lever_uses_the_supplied_risk_function():
    # Eligible on every rule but the model says tier D (referred) below 760.
    def strict_model(a, r):
        return risk("B") if (a.credit_score or 0) >= 760 else risk("D")

    suggestions = improvement_suggestions(
        applicant(credit_score=700),
        REQ.model_copy(update={"amount": Decimal(20000)}),
        strict_model,
        POLICY,
    )
    (credit,) = [s for s in suggestions if s.changes[0].lever == "credit_score"]
    assert credit.changes[0].new_value == 760
    assert credit.changes[0].change == 60
    assert "60 points" in credit.message


def test_two_changes_when_no_single_change_suffices():
    a = applicant(
        annual_income=Decimal(60000), monthly_debt_payments=Decimal(900), credit_score=640
    )
    suggestions = improvement_suggestions(a, REQ, score_based_assess, POLICY)
    assert suggestions
    assert all(len(s.changes) == 2 for s in suggestions)
    assert all(
        s.changes[0].field == "credit_score" and s.changes[0].new_value == 650 for s in suggestions
    )


def test_nothing_to_suggest_for_an_age_rule():
    home = LoanRequest(product="home", amount=Decimal(100000), tenure_months=360)
    a = applicant(age=19, annual_income=Decimal(150000), credit_score=800)
    assert improvement_suggestions(a, home, lambda *_: risk("A"), POLICY) == []


def test_gold_lever_asks_for_more_collateral():
    r = LoanRequest(
        product="gold", amount=Decimal(9000), tenure_months=24, gold_value=Decimal(10000)
    )
    suggestions = improvement_suggestions(applicant(), r, lambda *_: risk("A"), POLICY)
    gold = [s for s in suggestions if s.changes[0].lever == "gold_value"]
    assert gold and gold[0].changes[0].new_value == Decimal(12000)
