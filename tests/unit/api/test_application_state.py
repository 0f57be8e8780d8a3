"""The chat and the REST API see one application: the application service's record."""

from __future__ import annotations

import sqlite3

from tests.fakes.conversations import GOOD_APPLICANT
from tests.unit.api.conftest import application_body

REFERRED_APPLICANT = [
    "I'd like to apply for a home loan of 300k over 20 years",
    "I earn 150k a year, employed for 10 years",
    "I pay 500 a month on debts, one other loan",
    "I don't know my score",
    "savings 50k, checking 10k",
    "I have a mortgage and one child",
    "master's",
    "45",
]


def _chat(client, headers, thread, text):
    r = client.post(f"/v1/chat/{thread}", json={"message": text}, headers=headers)
    assert r.status_code == 200
    return r.text


def _thread(client, headers):
    return client.post("/v1/threads", json={}, headers=headers).json()["thread_id"]


def _dump(path):
    """Every row of every table of the store, to compare before and after a read."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: sorted(map(repr, conn.execute(f"SELECT * FROM {t}"))) for t in tables}  # noqa: S608


def test_reads_write_nothing(client, alice, settings):
    r = client.post("/v1/applications", json=application_body(), headers=alice)
    app_id = r.json()["application_id"]
    with sqlite3.connect(settings.app_db_path) as conn:  # a submit that died before its offers
        conn.execute("DELETE FROM offers WHERE application_id = ?", (app_id,))
    before = _dump(settings.app_db_path)
    base = f"/v1/applications/{app_id}"
    for url in [base, f"{base}/offers", f"{base}/history", f"{base}/decision", "/v1/applications"]:
        assert client.get(url, headers=alice).status_code == 200
    assert client.get(f"{base}/offers", headers=alice).json()["offers"] == []
    assert _dump(settings.app_db_path) == before  # reads never re-score or store offers


def test_a_retried_submit_completes_the_offers_a_crash_lost(client, alice, settings):
    key = {"Idempotency-Key": "retry-key-0001", **alice}
    app_id = client.post("/v1/applications", json=application_body(), headers=key).json()[
        "application_id"
    ]
    with sqlite3.connect(settings.app_db_path) as conn:
        conn.execute("DELETE FROM offers WHERE application_id = ?", (app_id,))
    again = client.post("/v1/applications", json=application_body(), headers=key)
    assert again.status_code == 200 and again.json()["application_id"] == app_id
    offers = client.get(f"/v1/applications/{app_id}/offers", headers=alice).json()["offers"]
    assert [o["kind"] for o in offers][0] == "requested"


def test_chat_and_rest_agree_on_a_negotiated_acceptance(client, alice):
    thread = _thread(client, alice)
    for text in GOOD_APPLICANT:
        _chat(client, alice, thread, text)
    _chat(client, alice, thread, "yes")
    assert "New option 4" in _chat(client, alice, thread, "can I get a lower monthly payment?")
    assert "Shall I accept option 4" in _chat(client, alice, thread, "I'll take option 4")
    assert "accepted option 4" in _chat(client, alice, thread, "yes")
    (app,) = client.get("/v1/applications", headers=alice).json()
    assert app["status"] == "offer_accepted"
    offers = client.get(f"/v1/applications/{app['application_id']}/offers", headers=alice).json()
    assert len(offers["offers"]) == 4
    fourth = offers["offers"][3]
    assert fourth["kind"] == "negotiated" and fourth["status"] == "accepted"
    assert all(o["status"] == "active" for o in offers["offers"][:3])
    # a second acceptance is refused, wherever it comes from
    r = client.post(
        f"/v1/applications/{app['application_id']}/offers/{offers['offers'][0]['offer_id']}/accept",
        headers=alice,
    )
    assert r.status_code == 409 and "cannot accept an offer" in r.json()["detail"]


def test_a_thread_the_caller_does_not_own_is_refused(client, alice, bob):
    thread = _thread(client, alice)
    body = {**application_body(), "thread_id": thread}
    r = client.post("/v1/applications", json=body, headers=bob)
    assert r.status_code == 404 and "conversation" in r.json()["detail"]
    assert client.get("/v1/applications", headers=bob).json() == []
    r = client.post(
        "/v1/applications", json={**body, "thread_id": "thr_nosuchthread"}, headers=alice
    )
    assert r.status_code == 404
    assert client.post("/v1/applications", json=body, headers=alice).status_code == 201


def test_a_review_resumes_only_the_thread_waiting_for_that_application(client, alice, staff):
    thread = _thread(client, alice)
    for text in REFERRED_APPLICANT:
        _chat(client, alice, thread, text)
    assert "loan officer" in _chat(client, alice, thread, "yes")
    (waiting,) = client.get("/v1/applications", headers=alice).json()
    # another referred application linked to the same thread (the caller's own)
    referred = application_body(credit_score=None, annual_income="150000")
    referred["request"] = {"product": "home", "amount": "300000", "tenure_months": 240}
    other = client.post(
        "/v1/applications", json={**referred, "thread_id": thread}, headers=alice
    ).json()
    assert other["status"] == "under_review"
    before = client.get(f"/v1/threads/{thread}", headers=alice).json()["messages"]
    r = client.post(
        f"/v1/staff/applications/{other['application_id']}/review",
        json={"outcome": "declined", "note": "Not this one."},
        headers=staff,
    )
    assert r.status_code == 200 and r.json()["status"] == "declined"
    after = client.get(f"/v1/threads/{thread}", headers=alice).json()["messages"]
    assert after == before  # the thread waits for the other application: left alone
    r = client.post(
        f"/v1/staff/applications/{waiting['application_id']}/review",
        json={"outcome": "approved", "note": "Income verified."},
        headers=staff,
    )
    assert r.status_code == 200 and r.json()["status"] == "approved"
    messages = client.get(f"/v1/threads/{thread}", headers=alice).json()["messages"]
    assert waiting["application_id"] in messages[-1]["content"]
    offers = client.get(f"/v1/applications/{waiting['application_id']}/offers", headers=alice)
    assert offers.json()["offers"], "a loan officer's approval is priced and its offers stored"


def test_an_accepted_offer_can_be_withdrawn_in_the_cooling_off_period(client, alice):
    app = client.post("/v1/applications", json=application_body(), headers=alice).json()
    url = f"/v1/applications/{app['application_id']}"
    offer = client.get(f"{url}/offers", headers=alice).json()["offers"][0]
    assert client.post(f"{url}/offers/{offer['offer_id']}/accept", headers=alice).status_code == 200
    r = client.post(f"{url}/withdraw", json={"reason": "changed my mind"}, headers=alice)
    assert r.status_code == 200 and r.json()["status"] == "withdrawn"
    r = client.post(f"{url}/withdraw", json={}, headers=alice)
    assert r.status_code == 409 and "withdrawn" in r.json()["detail"]
