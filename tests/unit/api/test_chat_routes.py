import json

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from core.config import Settings


@pytest.fixture
def client(tmp_path):
    with TestClient(create_app(Settings(var_dir=tmp_path))) as c:
        yield c


def _events(text):
    out = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if "event" in lines:
            out.append((lines["event"], json.loads(lines["data"])))
    return out


def test_chat_streams_tokens_tools_and_done(client):
    thread = client.post("/v1/threads", json={}).json()["thread_id"]
    r = client.post(
        f"/v1/chat/{thread}", json={"message": "I want a car loan of $20,000 over 4 years"}
    )
    assert r.status_code == 200
    events = _events(r.text)
    names = [e for e, _ in events]
    assert names[0] == "tool_start" and names[1] == "tool_end" and names[-1] == "done"
    tokens = "".join(d["text"] for e, d in events if e == "token")
    assert tokens == events[-1][1]["text"]
    assert "$494.38" in tokens
    assert events[-1][1]["versions"]["prompt"] == "system/v1"
    detail = client.get(f"/v1/threads/{thread}").json()
    assert [m["role"] for m in detail["messages"]] == ["user", "tool", "assistant"]


@pytest.mark.parametrize(
    ("body", "field"),
    [({"message": ""}, "message"), ({"message": "x" * 20_000}, "message"), ({}, "message")],
)
def test_bad_messages_are_problem_details(client, body, field):
    thread = client.post("/v1/threads", json={}).json()["thread_id"]
    r = client.post(f"/v1/chat/{thread}", json=body)
    assert r.status_code in (413, 422)
    assert r.headers["content-type"].startswith("application/problem+json")
    if r.status_code == 422:
        assert r.json()["errors"][0]["field"] == field


def test_malformed_json_is_422(client):
    thread = client.post("/v1/threads", json={}).json()["thread_id"]
    r = client.post(
        f"/v1/chat/{thread}", content=b"{bad", headers={"content-type": "application/json"}
    )
    assert r.status_code == 422
    assert r.json()["title"] == "Invalid input"


@pytest.mark.parametrize("thread", ["thr_doesnotexist", "x", "../../etc"])
def test_unknown_or_malformed_thread_is_4xx(client, thread):
    r = client.post(f"/v1/chat/{thread}", json={"message": "hi"})
    assert r.status_code in (404, 422)
    assert "Traceback" not in r.text


def test_security_headers_and_request_id(client):
    r = client.get("/healthz", headers={"X-Request-ID": "abc123"})
    assert r.headers["X-Request-ID"] == "abc123"
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_index_page_is_served(client):
    r = client.get("/")
    assert r.status_code == 200 and "Loan Advisor" in r.text
