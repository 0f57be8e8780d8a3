"""A reloaded conversation shows each reply's offer cards, citations and tool chips, and a title."""

from tests.unit.api.test_chat_routes import APPLY_TURNS, _turn


def test_a_reload_returns_the_cards_each_reply_streamed_and_names_the_thread(client, alice):
    thread = client.post("/v1/threads", json={"title": "Conversation 1"}, headers=alice).json()
    tid = thread["thread_id"]
    for message in APPLY_TURNS:
        _turn(client, alice, tid, message)
    events = _turn(client, alice, tid, "yes")
    streamed = next(d["offers"] for e, d in events if e == "offers")
    detail = client.get(f"/v1/threads/{tid}", headers=alice).json()
    replies = [m for m in detail["messages"] if m["role"] == "assistant"]
    assert replies[-1]["offers"] == streamed
    assert {"name": "submit_application", "status": "success"} in replies[-1]["tools"]
    assert all(r["offers"] == [] for r in replies[:-1])  # a quote or a question is not an offer
    app = client.get("/v1/applications", headers=alice).json()[0]
    amount = f"${float(app['amount']):,.0f}"
    assert detail["title"] == f"Car loan, {amount}"
    listed = client.get("/v1/threads", headers=alice).json()
    assert listed[0]["title"] == f"Car loan, {amount}"


def test_a_reload_returns_the_citations_of_a_policy_answer(client, alice):
    tid = client.post("/v1/threads", json={}, headers=alice).json()["thread_id"]
    events = _turn(client, alice, tid, "is there a prepayment penalty if I repay early?")
    streamed = next(d["passages"] for e, d in events if e == "citations")
    detail = client.get(f"/v1/threads/{tid}", headers=alice).json()
    reply = detail["messages"][-1]
    assert reply["role"] == "assistant"
    assert [c["doc_id"] for c in reply["citations"]] == [p["doc_id"] for p in streamed]
    assert reply["tools"] == [{"name": "search_policy", "status": "success"}]
    assert detail["title"] == "New conversation"  # no application, no new title


def test_a_thread_is_titled_by_the_first_message_naming_a_product(client, alice):
    tid = client.post("/v1/threads", json={"title": "Conversation 1"}, headers=alice).json()[
        "thread_id"
    ]
    _turn(client, alice, tid, "hi")
    assert client.get(f"/v1/threads/{tid}", headers=alice).json()["title"] == "Conversation 1"
    _turn(client, alice, tid, "what rates do you have on a car loan?")
    assert client.get(f"/v1/threads/{tid}", headers=alice).json()["title"] == "Car loan question"
    _turn(client, alice, tid, "and for a home loan?")  # the first product named keeps the title
    listed = client.get("/v1/threads", headers=alice).json()
    assert listed[0]["title"] == "Car loan question"
