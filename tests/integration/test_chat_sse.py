import json
from decimal import Decimal
from typing import Any

import httpx

from lending.amortization import monthly_payment
from tests.integration.servers import api_server


def test_chat_turn_streams_over_real_http(tmp_path):
    with api_server(tmp_path) as base, httpx.Client(base_url=base, timeout=30) as http:
        creds = {"email": "ada@example.com", "password": "correct-horse-1"}
        assert http.post("/v1/threads", json={}).status_code == 401
        http.post("/v1/auth/signup", json=creds)
        token = http.post("/v1/auth/login", json=creds).json()["access_token"]
        http.headers["Authorization"] = f"Bearer {token}"
        thread = http.post("/v1/threads", json={}).json()["thread_id"]
        events: list[tuple[str, dict[str, Any]]] = []
        with http.stream(
            "POST",
            f"/v1/chat/{thread}",
            json={"message": "I want a car loan of $20,000 over 4 years"},
        ) as r:
            assert r.status_code == 200
            assert r.headers["content-type"].startswith("text/event-stream")
            name = None
            for line in r.iter_lines():
                if line.startswith("event: "):
                    name = line[7:]
                elif line.startswith("data: ") and name:
                    events.append((name, json.loads(line[6:])))
        tokens = [d["text"] for e, d in events if e == "token"]
        assert len(tokens) > 5  # streamed, not one blob
        expected = monthly_payment(Decimal(20000), Decimal("8.65"), 48)
        assert f"${expected:,.2f}" in "".join(tokens)
        assert events[-1][0] == "done"
        # The conversation survives in the checkpointer and is readable afterwards.
        detail = http.get(f"/v1/threads/{thread}").json()
        assert detail["messages"][-1]["content"] == events[-1][1]["text"]
        assert http.post("/v1/chat/thr_nosuchthread", json={"message": "hi"}).status_code == 404
