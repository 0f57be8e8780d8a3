"""Operations over real HTTP: submissions, step events, a chat turn and feedback become KPIs,
topics, Prometheus metrics and an alarm check."""

from __future__ import annotations

import json
from typing import Any

import httpx
from typer.testing import CliRunner

from cli.main import app as cli_app
from cli.scoring import ensure_champion
from tests.integration.servers import api_server
from tests.unit.api.conftest import application_body

STAFF = {"email": "ops-staff@example.com", "password": "staff-password-1"}


def _turn(http: httpx.Client, thread: str, message: str) -> list[tuple[str, dict[str, Any]]]:
    events: list[tuple[str, dict[str, Any]]] = []
    with http.stream("POST", f"/v1/chat/{thread}", json={"message": message}) as r:
        assert r.status_code == 200
        name = None
        for line in r.iter_lines():
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: ") and name:
                events.append((name, json.loads(line[6:])))
    return events


def test_kpis_topics_and_metrics_from_a_real_server(tmp_path) -> None:
    ensure_champion(tmp_path, rows=800, seed=5)  # the in-process scorer decides at once
    env = {"LOAN_ADVISOR_STAFF_EMAIL": STAFF["email"],
           "LOAN_ADVISOR_STAFF_PASSWORD": STAFF["password"]}  # fmt: skip
    with api_server(tmp_path, env) as base, httpx.Client(base_url=base, timeout=60) as http:
        creds = {"email": "ada@example.com", "password": "correct-horse-1"}
        assert http.post("/v1/auth/signup", json=creds).status_code == 202
        token = http.post("/v1/auth/login", json=creds).json()["access_token"]
        me = {"Authorization": f"Bearer {token}"}
        outcomes = []
        for body in (application_body(), application_body(), application_body(credit_score=420)):
            r = http.post("/v1/applications", json=body, headers=me)
            assert r.status_code == 201, r.text
            outcomes.append(r.json()["decision"]["outcome"])
        for step in ("about_you", "work_income", "savings_credit"):
            r = http.post("/v1/events/step", json={"step": step, "session": "draft-abc1"},
                          headers=me)  # fmt: skip
            assert r.status_code == 201, r.text
        assert http.post("/v1/events/step", json={"step": "nope", "session": "draft-abc1"},
                         headers=me).status_code == 422  # fmt: skip
        thread = http.post("/v1/threads", json={}, headers=me).json()["thread_id"]
        http.headers.update(me)
        events = _turn(http, thread, "Hi, I'm Maria Lopez. Can I repay a $9,000 loan early?")
        assert events[-1][0] == "done"
        http.headers.pop("Authorization")
        reply = http.get(f"/v1/threads/{thread}", headers=me).json()["messages"][-1]
        r = http.post("/v1/feedback/messages", headers=me,
                      json={"thread_id": thread, "message_id": reply["message_id"],
                            "thumb": "down"})  # fmt: skip
        assert r.status_code == 201, r.text
        assert http.post("/v1/feedback/rating", json={"rating": 2}, headers=me).status_code == 201

        login = http.post("/v1/auth/login", json=STAFF)
        staff = {"Authorization": f"Bearer {login.json()['access_token']}"}
        assert http.get("/v1/staff/kpis", headers=me).status_code == 403
        kpis = http.get("/v1/staff/kpis", headers=staff).json()
        assert kpis["applications"] == 3
        assert kpis["approval_rate"] == round(outcomes.count("approved") / 3, 4)
        assert kpis["decline_rate"] == round(outcomes.count("declined") / 3, 4)
        assert kpis["time_to_decision_p50_s"] is not None
        assert kpis["feedback"] == {"ratings": 1, "mean_rating": 2.0, "thumbs_up": 0,
                                    "thumbs_down": 1, "thumbs_down_share": 1.0}  # fmt: skip
        form, chat = kpis["funnels"]
        assert [s["sessions"] for s in form["steps"]] == [1, 1, 1, 0, 0, 0]
        assert chat["steps"][0]["sessions"] == 1

        found = http.get("/v1/staff/query-topics", headers=staff).json()
        assert len(found) == 1 and found[0]["count"] == 1
        example = found[0]["examples"][0]
        assert "Maria" not in example and "9,000" not in example and "[NAME]" in example
        assert found[0]["gap"] and found[0]["thumbs_down_share"] == 1.0

        metrics = http.get("/metrics").text
        for outcome in set(outcomes):
            n = float(outcomes.count(outcome))
            assert (f'applications_submitted_total{{channel="form",outcome="{outcome}"}} {n}'
                    in metrics)  # fmt: skip
        assert 'chat_turns_total{result="done"} 1.0' in metrics
        assert "chat_time_to_first_token_seconds_bucket" in metrics
        assert 'funnel_steps_total{channel="form",step="about_you"} 1.0' in metrics

        res = CliRunner().invoke(cli_app, ["ops", "check", "--metrics-url", f"{base}/metrics"])
        assert "http_5xx_rate" in res.output and res.exit_code in (0, 1)
        assert ("FIRING" in res.output) == (res.exit_code == 1)
