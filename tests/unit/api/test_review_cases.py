"""A flagged conversation becomes a draft evals case the evals schema accepts, PII masked."""

from __future__ import annotations

import yaml

from api.review_cases import draft_case
from evals.schema import Case
from tests.unit.api.conftest import log_in_staff


def test_the_draft_is_a_valid_evals_case_with_pii_masked() -> None:
    case = draft_case(
        "thr_AbC12345", ["hi, I'm at jo@example.com", "car loan 20000 over 48 months"],
        "quoted a rate above policy", must_not_include=[r"\b29\.9%"],
    )  # fmt: skip
    parsed = Case.model_validate(case)  # what evals/datasets review will load
    assert parsed.id == "review-thr_abc12345" and parsed.goal == "script"
    assert parsed.opening == "hi, I'm at [EMAIL]"
    assert parsed.script == ["car loan 20000 over 48 months"]
    assert parsed.expect.must_not_include == [r"\b29\.9%"]
    assert "draft" in parsed.tags


def test_staff_export_a_thread_as_a_draft_file_not_into_a_suite(client, alice, settings) -> None:
    thread = client.post("/v1/threads", json={}, headers=alice).json()["thread_id"]
    for text in ("hi", "I want a car loan of $20,000 over 4 years"):
        assert client.post(f"/v1/chat/{thread}", json={"message": text}, headers=alice).is_success
    staff = log_in_staff(client)
    url = f"/v1/staff/threads/{thread}/eval-case"
    body = {"note": "asked for income twice", "must_include": ["income"]}
    assert client.post(url, json=body, headers=alice).status_code == 403
    r = client.post(url, json=body, headers=staff)
    assert r.status_code == 201, r.text
    draft = r.json()
    assert draft["path"].startswith(str(settings.var_dir / "evals" / "review_drafts"))
    case = Case.model_validate(yaml.safe_load(draft["yaml"]))
    assert [case.opening, *case.script] == ["hi", "I want a car loan of $20,000 over 4 years"]
    assert draft["yaml"].startswith("# DRAFT")
    bad = client.post(url, json={**body, "must_include": ["(unclosed"]}, headers=staff)
    assert bad.status_code == 422 and "regular expression" in bad.text
    missing = client.post("/v1/staff/threads/thr_nothere1/eval-case", json=body, headers=staff)
    assert missing.status_code == 404
