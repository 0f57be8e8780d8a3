from decimal import Decimal

import pytest

from core.errors import Conflict, NotFound
from tests.unit.tools.conftest import PROFILE, REQUEST


def test_longer_term_lowers_the_payment_and_is_stored(thread, approved, service):
    out = thread.call("negotiate_offer", offer_id="1", kind="tenure", value=60)
    assert out["met"] is True
    new = out["offer"]
    assert new["tenure_months"] == 60
    assert new["offer_id"] == str(len(approved["offers"]) + 1)
    assert Decimal(new["monthly_payment"]) < Decimal(approved["offers"][0]["monthly_payment"])
    stored = service.offers(approved["application_id"])
    assert stored[-1].offer_id == new["offer_ref"] and stored[-1].terms["tenure_months"] == 60
    assert thread.state["application"].offers[-1].option == new["offer_id"]


def test_rate_ask_without_figure_goes_to_the_tier_floor(thread, approved, deps):
    out = thread.call("negotiate_offer", offer_id="1", kind="rate")
    floor = deps.policy.floor_rate("car", "B")
    offer = out["offer"] or out["alternative"]
    assert Decimal(offer["annual_rate_pct"]) >= floor


def test_ask_beyond_policy_names_the_limit(thread, approved):
    out = thread.call("negotiate_offer", offer_id="1", kind="tenure", value=120)
    assert out["met"] is False
    assert out["binding_limit"] is not None or out["alternative"] is not None
    assert out["explanation"]


def test_unknown_offer_is_not_found(thread, approved):
    with pytest.raises(NotFound):
        thread.call("negotiate_offer", offer_id="9", kind="longer")


def test_compare_points_at_the_best_offers(thread, approved):
    ids = [o["offer_id"] for o in approved["offers"]]
    out = thread.call("compare_offers", offer_ids=ids)
    by_id = {o["offer_id"]: o for o in approved["offers"]}
    cheapest = min(ids, key=lambda i: Decimal(by_id[i]["monthly_payment"]))
    assert out["best_payment"] == cheapest
    assert len(out["rows"]) == len(ids)


def test_accept_stores_the_acceptance_and_records_the_event(thread, approved, events, service):
    out = thread.call("accept_offer", offer_id="2")
    assert out["status"] == "offer_accepted" and out["offer"]["offer_id"] == "2"
    assert events.events[-1][0] == "accepted"
    record = service.get(approved["application_id"])
    assert record.status == "offer_accepted"
    accepted = [o for o in service.offers(record.application_id) if o.status == "accepted"]
    assert [o.offer_id for o in accepted] == [approved["offers"][1]["offer_ref"]]
    assert thread.state["application"].accepted_offer_id == "2"


def test_accept_refuses_an_offer_that_does_not_exist(thread, approved, service):
    with pytest.raises(NotFound, match="options are: 1, 2, 3"):
        thread.call("accept_offer", offer_id="99")
    assert service.get(approved["application_id"]).status == "approved"


def test_declined_application_has_nothing_to_accept(thread):
    weak = {**PROFILE, "credit_score": 610, "annual_income": 30000, "monthly_debt_payments": 900}
    out = thread.call("submit_application", profile=weak, request=REQUEST)
    if not out["offers"]:
        with pytest.raises(NotFound):
            thread.call("accept_offer", offer_id="1")
    else:
        with pytest.raises(Conflict):
            thread.call("accept_offer", offer_id="1")
