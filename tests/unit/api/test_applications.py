from tests.unit.api.conftest import application_body

KEY = {"Idempotency-Key": "key-abcdef01"}


def _submit(client, headers, body=None, key=None):
    extra = {"Idempotency-Key": key} if key else {}
    return client.post(
        "/v1/applications", json=body or application_body(), headers={**headers, **extra}
    )


def test_submit_is_decided_with_offers_and_history(client, alice):
    r = _submit(client, alice)
    assert r.status_code == 201
    app = r.json()
    assert app["status"] == "approved" and app["decision"]["outcome"] == "approved"
    assert [h["status"] for h in app["history"]] == ["received", "approved"]
    assert {h["by"] for h in app["history"]} == {"system"}
    offers = client.get(f"/v1/applications/{app['application_id']}/offers", headers=alice).json()
    kinds = [o["kind"] for o in offers["offers"]]
    assert kinds[0] == "requested" and all(o["status"] == "active" for o in offers["offers"])
    assert offers["offers"][0]["monthly_payment"] == app["decision"]["monthly_payment"]
    listed = client.get("/v1/applications", headers=alice).json()
    assert [a["application_id"] for a in listed] == [app["application_id"]]


def test_same_idempotency_key_never_creates_two(client, alice):
    first = _submit(client, alice, key="retry-key-0001")
    again = _submit(client, alice, key="retry-key-0001")
    assert first.status_code == 201 and again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["application_id"] == first.json()["application_id"]
    assert len(client.get("/v1/applications", headers=alice).json()) == 1
    other = _submit(client, alice, application_body(annual_income="91000"), key="retry-key-0001")
    assert other.status_code == 422
    assert other.json()["errors"][0]["field"] == "Idempotency-Key"


def test_keys_are_per_applicant(client, alice, bob):
    a = _submit(client, alice, key="shared-key-001").json()
    b = _submit(client, bob, key="shared-key-001").json()
    assert a["application_id"] != b["application_id"]


def test_declined_application_lists_reasons(client, alice):
    app = _submit(client, alice, application_body(credit_score=500)).json()
    assert app["status"] == "declined"
    decision = client.get(f"/v1/applications/{app['application_id']}/decision", headers=alice)
    assert decision.status_code == 200
    codes = {r["code"] for r in decision.json()["reasons"]}
    assert "CREDIT_SCORE_BELOW_MIN" in codes
    offers = client.get(f"/v1/applications/{app['application_id']}/offers", headers=alice).json()
    assert offers["offers"] == []


def test_out_of_policy_request_is_a_field_error(client, alice):
    body = application_body()
    body["request"]["amount"] = "900000"  # above the car-loan maximum
    r = _submit(client, alice, body)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "amount"
    body["request"]["product"] = "yacht"
    r = _submit(client, alice, body)
    assert r.status_code == 422 and "product" in r.json()["errors"][0]["field"]


def test_referred_goes_to_review_and_staff_decides(client, alice, staff):
    app = _submit(client, alice, application_body(credit_score=None)).json()
    assert app["status"] == "under_review"
    queue = client.get("/v1/staff/review-queue", headers=staff).json()
    assert [i["application"]["application_id"] for i in queue] == [app["application_id"]]
    assert queue[0]["reasons"]
    url = f"/v1/staff/applications/{app['application_id']}/review"
    r = client.post(url, json={"outcome": "approved", "note": "verified payslips"}, headers=staff)
    assert r.status_code == 200
    history = client.get(f"/v1/applications/{app['application_id']}/history", headers=alice).json()
    assert [h["status"] for h in history] == ["received", "under_review", "approved"]
    assert history[-1]["by"] == "staff" and history[-1]["note"] == "verified payslips"
    assert client.post(url, json={"outcome": "declined"}, headers=staff).status_code == 409
    assert client.get("/v1/staff/review-queue", headers=staff).json() == []


def test_withdraw_then_no_more_changes(client, alice):
    app = _submit(client, alice).json()
    url = f"/v1/applications/{app['application_id']}"
    r = client.post(f"{url}/withdraw", json={"reason": "found another lender"}, headers=alice)
    assert r.status_code == 200 and r.json()["status"] == "withdrawn"
    assert r.json()["history"][-1]["by"] == "applicant"
    assert client.post(f"{url}/withdraw", headers=alice).status_code == 409
    offer = client.get(f"{url}/offers", headers=alice).json()["offers"][0]
    assert client.post(f"{url}/offers/{offer['offer_id']}/accept", headers=alice).status_code == 409


def test_adjust_reprices_and_supersedes(client, alice):
    app = _submit(client, alice).json()
    url = f"/v1/applications/{app['application_id']}/offers"
    before = client.get(url, headers=alice).json()["offers"]
    r = client.post(f"{url}/adjust", json={"amount": "15000", "tenure_months": 36}, headers=alice)
    assert r.status_code == 200
    after = r.json()
    assert after["decision"]["amount"] == "15000" and after["offers"][0]["tenure_months"] == 36
    assert {o["offer_id"] for o in after["offers"]}.isdisjoint(o["offer_id"] for o in before)
    assert client.get(url, headers=alice).json()["offers"] == after["offers"]
    stale = client.post(f"{url}/{before[0]['offer_id']}/accept", headers=alice)
    assert stale.status_code == 409
    assert client.post(f"{url}/adjust", json={}, headers=alice).status_code == 422


def test_compare_and_accept(client, alice):
    app = _submit(client, alice).json()
    url = f"/v1/applications/{app['application_id']}/offers"
    offers = client.get(url, headers=alice).json()["offers"]
    ids = [o["offer_id"] for o in offers]
    cmp = client.post(f"{url}/compare", json={"offer_ids": ids}, headers=alice).json()
    assert [row["offer"]["offer_id"] for row in cmp["rows"]] == ids
    cheapest = min(offers, key=lambda o: float(o["monthly_payment"]))
    assert cmp["best_payment"] == cheapest["offer_id"]
    bad = client.post(f"{url}/compare", json={"offer_ids": ["ofr_notmine01"]}, headers=alice)
    assert bad.status_code == 404
    r = client.post(f"{url}/{ids[0]}/accept", headers=alice)
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    status = client.get(f"/v1/applications/{app['application_id']}", headers=alice).json()
    assert status["status"] == "offer_accepted"
    assert client.post(f"{url}/{ids[-1]}/accept", headers=alice).status_code == 409


def test_model_down_keeps_application_received(settings):
    from fastapi.testclient import TestClient

    from api.main import create_app
    from tests.fakes.knowledge import FakeKnowledgeBase
    from tests.fakes.scoring import FailingScorer
    from tests.unit.api.conftest import sign_up

    with TestClient(
        create_app(settings, scorer=FailingScorer(), knowledge=FakeKnowledgeBase())
    ) as c:
        h = sign_up(c)
        app = _submit(c, h).json()
        assert app["status"] == "received" and app["decision"] is None
        r = c.get(f"/v1/applications/{app['application_id']}/decision", headers=h)
        assert r.status_code == 404 and "pending" in r.json()["detail"]


def _chat(client, headers, thread, text):
    r = client.post(f"/v1/chat/{thread}", json={"message": text}, headers=headers)
    assert r.status_code == 200
    return r.text


def test_chat_referral_is_listed_reviewed_and_resumed(client, alice, staff):
    thread = client.post("/v1/threads", json={}, headers=alice).json()["thread_id"]
    for text in [
        "I'd like to apply for a home loan of 300k over 20 years",
        "I earn 150k a year, employed for 10 years",
        "I pay 500 a month on debts, one other loan",
        "I don't know my score",
        "savings 50k, checking 10k",
        "I have a mortgage and one child",
        "master's",
        "45",
    ]:
        _chat(client, alice, thread, text)
    assert "loan officer" in _chat(client, alice, thread, "yes")
    (app,) = client.get("/v1/applications", headers=alice).json()
    assert app["status"] == "under_review" and app["decision"]["outcome"] == "referred"
    queue = client.get("/v1/staff/review-queue", headers=staff).json()
    assert [i["application"]["application_id"] for i in queue] == [app["application_id"]]
    r = client.post(
        f"/v1/staff/applications/{app['application_id']}/review",
        json={"outcome": "approved", "note": "Income verified."},
        headers=staff,
    )
    assert r.status_code == 200
    messages = client.get(f"/v1/threads/{thread}", headers=alice).json()["messages"]
    assert "reviewed application" in messages[-1]["content"]
