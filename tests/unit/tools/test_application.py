from decimal import Decimal

import pytest
from pydantic import ValidationError

from core.errors import Conflict, NotFound
from lending.amortization import monthly_payment
from tests.unit.tools.conftest import PROFILE, REQUEST, Thread


def test_submit_scores_decides_stores_and_numbers_offers(approved, events, service):
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
    stored = service.get("app_0001")  # the record, not the chat, holds the application
    assert stored.owner == "usr_alice001" and stored.thread_id == "thr_test"
    assert [o.offer_id for o in service.offers("app_0001")] == [
        o["offer_ref"] for o in approved["offers"]
    ]


def test_a_resent_turn_replays_the_submission(thread, service):
    first = thread.call("submit_application", profile=PROFILE, request=REQUEST)
    thread.state["application"] = None  # the crash lost the turn's checkpoint
    again = thread.call("submit_application", profile=PROFILE, request=REQUEST)
    assert again["application_id"] == first["application_id"]
    assert len(service.repos.applications.list_for("usr_alice001")) == 1
    thread.say("yes, with a new amount")  # a new turn is a new submission
    other = thread.call("submit_application", profile=PROFILE, request={**REQUEST, "amount": 15000})
    assert other["application_id"] != first["application_id"]


def test_declined_application_carries_reasons_and_verified_suggestions(thread):
    weak = {**PROFILE, "credit_score": 610, "annual_income": 30000, "monthly_debt_payments": 900}
    out = thread.call("submit_application", profile=weak, request=REQUEST)
    assert out["status"] == "declined"
    codes = {r["code"] for r in out["decision"]["reasons"]}
    assert "CREDIT_SCORE_BELOW_MIN" in codes
    assert out["suggestions"], "a decline must come with improvement advice when one exists"
    assert all(s["resulting_outcome"] != "declined" for s in out["suggestions"])


@pytest.mark.parametrize(
    "bad",
    [{"credit_score": 900}, {"age": 12}, {"employment_status": "Astronaut"}, {"annual_income": -1}],
)
def test_profile_bounds_are_enforced(thread, bad):
    with pytest.raises(ValidationError):
        thread.call("submit_application", profile={**PROFILE, **bad}, request=REQUEST)


def test_score_applicant_returns_tier_and_pd(tools):
    out = tools["score_applicant"].invoke({"profile": PROFILE, "request": REQUEST})
    assert out["risk_tier"] == "B" and 0 <= out["probability_of_default"] <= 1


def test_explain_and_status_read_only_this_threads_application(tools, thread, approved):
    explained = thread.call("explain_decision")
    assert explained["outcome"] == "approved" and explained["model_version"] == "fake-rules-1"
    status = thread.call("application_status")
    assert {k: status[k] for k in ("application_id", "status", "product", "accepted_offer_id")} == {
        "application_id": "app_0001",
        "status": "approved",
        "product": "car",
        "accepted_offer_id": None,
    }
    stranger = Thread(tools, user_id="usr_bob00001", thread_id="thr_other")
    assert stranger.call("application_status")["status"] == "none"
    with pytest.raises(NotFound):
        stranger.call("explain_decision")
    stranger.state["application"] = thread.state["application"]  # a planted snapshot
    with pytest.raises(NotFound):
        stranger.call("explain_decision")


def test_a_lost_snapshot_is_found_by_the_thread_id(thread, approved):
    thread.state["application"] = None
    assert thread.call("application_status")["application_id"] == approved["application_id"]


def test_injected_runtime_is_hidden_from_the_model(tools):
    schema = tools["explain_decision"].tool_call_schema.model_json_schema()
    assert not set(schema.get("properties", {})) & {"application", "runtime"}
    schema = tools["negotiate_offer"].tool_call_schema.model_json_schema()
    assert set(schema["properties"]) == {"offer_id", "kind", "value"}
    schema = tools["submit_application"].tool_call_schema.model_json_schema()
    assert set(schema["properties"]) == {"profile", "request"}


def test_make_offers_re_decides_the_same_application_on_new_terms(thread, approved, service):
    out = thread.call("make_offers", amount=15000, tenure_months=36)
    assert out["application_id"] == approved["application_id"]
    first = out["offers"][0]
    assert Decimal(first["amount"]) == 15000 and first["tenure_months"] == 36
    rate = Decimal(first["annual_rate_pct"])
    assert Decimal(first["monthly_payment"]) == monthly_payment(Decimal(15000), rate, 36)
    assert [o.offer_id for o in service.offers(approved["application_id"])] == [
        o["offer_ref"] for o in out["offers"]
    ]


def test_exploring_terms_that_would_not_be_approved_changes_nothing(tools, service):
    from core.errors import Conflict
    from tests.unit.tools.conftest import Thread

    thread = Thread(tools)
    modest = {**PROFILE, "annual_income": 40000}
    approved = thread.call("submit_application", profile=modest, request=REQUEST)
    assert approved["status"] == "approved"
    before = ([o.offer_id for o in service.offers(approved["application_id"])],)
    with pytest.raises(Conflict, match="unchanged"):
        thread.call("make_offers", amount=50000, tenure_months=12)
    record = service.get(approved["application_id"])
    assert record.status == "approved"
    assert ([o.offer_id for o in service.offers(record.application_id)],) == before


def test_a_conditional_approval_status_names_the_documents_and_accept_waits(thread):
    conditional = {**PROFILE, "credit_score": 680}  # tier C with the rule scorer
    out = thread.call("submit_application", profile=conditional, request=REQUEST)
    assert out["decision"]["outcome"] == "conditionally_approved"
    status = thread.call("application_status")
    assert status["documents"][0] == {
        "name": "Government-issued photo ID",
        "provided": False,
        "provided_at": None,
        "document_id": None,
    }
    assert status["accept_blocked"].startswith("Before you can accept, we need: Government")
    with pytest.raises(Conflict, match="Before you can accept"):
        thread.call("accept_offer", offer_id="1")
