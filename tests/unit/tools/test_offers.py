from decimal import Decimal

import pytest

from core.errors import Conflict, NotFound
from tests.unit.tools.conftest import CONFIG


def test_longer_term_lowers_the_payment(tools, approved):
    out = tools["negotiate_offer"].invoke(
        {"offer_id": "1", "kind": "tenure", "value": 60, "application": approved}
    )
    assert out["met"] is True
    new = out["offer"]
    assert new["tenure_months"] == 60
    assert new["offer_id"] == str(len(approved["offers"]) + 1)
    assert Decimal(new["monthly_payment"]) < Decimal(approved["offers"][0]["monthly_payment"])


def test_rate_ask_without_figure_goes_to_the_tier_floor(tools, approved, deps):
    out = tools["negotiate_offer"].invoke(
        {"offer_id": "1", "kind": "rate", "application": approved}
    )
    floor = deps.policy.floor_rate("car", "B")
    offer = out["offer"] or out["alternative"]
    assert Decimal(offer["annual_rate_pct"]) >= floor


def test_ask_beyond_policy_names_the_limit(tools, approved):
    out = tools["negotiate_offer"].invoke(
        {"offer_id": "1", "kind": "tenure", "value": 120, "application": approved}
    )
    assert out["met"] is False
    assert out["binding_limit"] is not None or out["alternative"] is not None
    assert out["explanation"]


def test_unknown_offer_is_not_found(tools, approved):
    with pytest.raises(NotFound):
        tools["negotiate_offer"].invoke(
            {"offer_id": "9", "kind": "longer", "application": approved}
        )


def test_compare_points_at_the_best_offers(tools, approved):
    ids = [o["offer_id"] for o in approved["offers"]]
    out = tools["compare_offers"].invoke({"offer_ids": ids, "application": approved})
    by_id = {o["offer_id"]: o for o in approved["offers"]}
    cheapest = min(ids, key=lambda i: Decimal(by_id[i]["monthly_payment"]))
    assert out["best_payment"] == cheapest
    assert len(out["rows"]) == len(ids)


def test_accept_records_the_event(tools, approved, events):
    out = tools["accept_offer"].invoke({"offer_id": "2", "application": approved}, CONFIG)
    assert out["status"] == "accepted" and out["offer"]["offer_id"] == "2"
    assert events.events[-1][0] == "accepted"


def test_declined_application_has_nothing_to_accept(tools, approved):
    declined = {**approved, "status": "declined"}
    with pytest.raises(Conflict):
        tools["accept_offer"].invoke({"offer_id": "1", "application": declined})
