from decimal import Decimal

import pytest
from pydantic import ValidationError

from core.errors import NotFound
from lending.amortization import monthly_payment
from tests.unit.tools.conftest import CONFIG, PROFILE, REQUEST


def test_submit_scores_decides_and_numbers_offers(approved, events):
    assert approved["application_id"] == "app_0001"
    assert approved["status"] == "approved"
    assert approved["decision"]["risk_tier"] == "B"
    ids = [o["offer_id"] for o in approved["offers"]]
    assert ids == [str(i) for i in range(1, len(ids) + 1)]
    first = approved["offers"][0]
    rate = Decimal(first["annual_rate_pct"])
    assert Decimal(first["monthly_payment"]) == monthly_payment(Decimal(20000), rate, 48)
    assert events.events[0][0:2] == ("submitted", "thr_test")
    assert approved["suggestions"] == []


def test_declined_application_carries_reasons_and_verified_suggestions(tools):
    weak = {**PROFILE, "credit_score": 610, "annual_income": 30000, "monthly_debt_payments": 900}
    out = tools["submit_application"].invoke({"profile": weak, "request": REQUEST}, CONFIG)
    assert out["status"] == "declined"
    codes = {r["code"] for r in out["decision"]["reasons"]}
    assert "CREDIT_SCORE_BELOW_MIN" in codes
    assert out["suggestions"], "a decline must come with improvement advice when one exists"
    assert all(s["resulting_outcome"] != "declined" for s in out["suggestions"])


@pytest.mark.parametrize(
    "bad",
    [{"credit_score": 900}, {"age": 12}, {"employment_status": "Astronaut"}, {"annual_income": -1}],
)
def test_profile_bounds_are_enforced(tools, bad):
    with pytest.raises(ValidationError):
        tools["submit_application"].invoke({"profile": {**PROFILE, **bad}, "request": REQUEST})


def test_score_applicant_returns_tier_and_pd(tools):
    out = tools["score_applicant"].invoke({"profile": PROFILE, "request": REQUEST})
    assert out["risk_tier"] == "B" and 0 <= out["probability_of_default"] <= 1


def test_explain_and_status_read_only_this_threads_application(tools, approved):
    explained = tools["explain_decision"].invoke({"application": approved})
    assert explained["outcome"] == "approved" and explained["model_version"] == "fake-rules-1"
    status = tools["application_status"].invoke({"application": approved})
    assert status == {
        "application_id": "app_0001",
        "status": "approved",
        "product": "car",
        "accepted_offer_id": None,
    }
    assert tools["application_status"].invoke({"application": None})["status"] == "none"
    with pytest.raises(NotFound):
        tools["explain_decision"].invoke({"application": None})


def test_injected_application_is_hidden_from_the_model(tools):
    schema = tools["explain_decision"].tool_call_schema.model_json_schema()
    assert "application" not in schema.get("properties", {})
    schema = tools["negotiate_offer"].tool_call_schema.model_json_schema()
    assert set(schema["properties"]) == {"offer_id", "kind", "value"}


def test_make_offers_re_decides_the_same_application_on_new_terms(tools, approved):
    out = tools["make_offers"].invoke(
        {"application": approved, "amount": 15000, "tenure_months": 36}, CONFIG
    )
    assert out["application_id"] == approved["application_id"]
    assert Decimal(out["request"]["amount"]) == 15000
    assert out["request"]["tenure_months"] == 36
    first = out["offers"][0]
    rate = Decimal(first["annual_rate_pct"])
    assert Decimal(first["monthly_payment"]) == monthly_payment(Decimal(15000), rate, 36)
