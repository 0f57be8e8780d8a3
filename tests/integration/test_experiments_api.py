"""A prompt experiment end to end over real HTTP: create, start, expose, outcomes, analyse."""

from __future__ import annotations

import random
from typing import Any

import httpx
import pytest

from tests.integration.servers import api_server
from tests.integration.test_agent_sse_scenarios import APPLY

pytestmark = pytest.mark.integration

STAFF = {"email": "staff@example.com", "password": "staff-password-1"}
DEFINITION = """
key: prompt_style
version: 1
surface: prompt
arms:
  - {name: A, weight: 50, config: {system_prompt_version: 4}}
  - {name: B, weight: 50, config: {system_prompt_version: 5}}
primary_metric: {name: offer_viewed, event: offer_viewed}
secondary_metrics:
  - {name: submitted, event: submitted}
guardrail_metrics:
  - {name: thumbs_down, event: thumb_down, direction: decrease}
min_sample_per_arm: 100
"""
RATES = {"A": 0.2, "B": 0.7}  # simulated: B users view offers far more often (z ~ 10 at n=150)


def _login(http: httpx.Client, creds: dict[str, str], signup: bool) -> dict[str, str]:
    if signup:  # sign-up answers 202 the same way for new and known emails: then log in
        assert http.post("/v1/auth/signup", json=creds).status_code == 202
    r = http.post("/v1/auth/login", json=creds)
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _chat(http: httpx.Client, user: dict[str, str], text: str, thread: str) -> None:
    with http.stream("POST", f"/v1/chat/{thread}", json={"message": text}, headers=user) as r:
        assert r.status_code == 200
        for _ in r.iter_lines():
            pass


def test_prompt_experiment_through_the_api(tmp_path):
    env = {
        "LOAN_ADVISOR_STAFF_EMAIL": STAFF["email"],
        "LOAN_ADVISOR_STAFF_PASSWORD": STAFF["password"],
    }
    from cli.scoring import ensure_champion

    ensure_champion(tmp_path, rows=2000)
    with api_server(tmp_path, env) as base, httpx.Client(base_url=base, timeout=60) as http:
        staff = _login(http, STAFF, signup=False)
        made = http.post("/v1/experiments", json={"definition": DEFINITION}, headers=staff)
        assert made.status_code == 201 and made.json()["definition"]["status"] == "draft"
        bad = http.post("/v1/experiments", json={"definition": "key: x"}, headers=staff)
        assert bad.status_code == 422
        url = "/v1/experiments/prompt_style/versions/1"
        assert http.post(f"{url}/start", headers=staff).json()["definition"]["status"] == "running"
        changed = DEFINITION.replace(
            "weight: 50, config: {system_prompt_version: 5}",
            "weight: 90, config: {system_prompt_version: 5}",
        )
        assert (
            http.post("/v1/experiments", json={"definition": changed}, headers=staff).status_code
            == 409
        )
        rng = random.Random(18)
        arms: dict[str, int] = {}
        first: dict[str, Any] = {}
        for i in range(300):
            user = _login(http, {"email": f"u{i}@example.com", "password": "correct-horse-1"}, True)
            assert http.get("/v1/experiments", headers=user).status_code == 403
            seen = http.post("/v1/experiments/prompt_style/exposure", headers=user).json()
            again = http.post("/v1/experiments/prompt_style/exposure", headers=user).json()
            assert seen["first_exposure"] and not again["first_exposure"]
            assert again["arm"] == seen["arm"]  # sticky
            arms[seen["arm"]] = arms.get(seen["arm"], 0) + 1
            first.setdefault(seen["arm"], user)
            if rng.random() < RATES[seen["arm"]]:
                r = http.post(
                    "/v1/experiments/events", json={"event": "offer_viewed"}, headers=user
                )
                assert r.status_code == 204
        assert (
            http.post("/v1/experiments/events", json={"event": "nope"}, headers=user).status_code
            == 422
        )
        # one applicant of arm A applies in a real chat: the tool's "submitted" event joins in
        applicant = first["A"]
        thread = http.post("/v1/threads", json={}, headers=applicant).json()["thread_id"]
        for text in [*APPLY, "yes"]:
            _chat(http, applicant, text, thread)
        result = http.get("/v1/experiments/prompt_style/results", headers=staff).json()
    assert result["exposures"] == arms and sum(arms.values()) == 300
    assert not result["srm_warning"]
    primary = {a["arm"]: a for a in result["metrics"][0]["arms"]}
    assert primary["B"]["difference"] > 0 and primary["B"]["significant"]
    assert result["decision"]["verdict"] == "ship" and result["decision"]["winner"] == "B"
    submitted = {a["arm"]: a for a in result["metrics"][1]["arms"]}
    assert submitted["A"]["mean"] * submitted["A"]["users"] == 1.0
