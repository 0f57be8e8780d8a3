"""Thumbs-down replies and low ratings become review items staff resolve, dismiss or replay."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import yaml

from api.feedback_reviews import TRANSITIONS, act, item_for, needs_review
from core.errors import Conflict, NotFound
from evals.schema import Case
from storage.records import FeedbackRecord
from tests.unit.api.conftest import application_body, log_in_staff
from tests.unit.api.test_documents_feedback import _thread_with_reply

T0 = datetime(2026, 3, 1, tzinfo=UTC)


def _feedback(**changes: object) -> FeedbackRecord:
    base = FeedbackRecord(feedback_id="fbk_00000001", owner="usr_alice001", created_at=T0)
    return base.model_copy(update=changes)


def test_thumbs_down_and_ratings_of_two_or_less_need_review() -> None:
    assert needs_review(_feedback(thumb="down"))
    assert not needs_review(_feedback(thumb="up"))
    assert [r for r in range(1, 6) if needs_review(_feedback(rating=r))] == [1, 2]


def test_an_item_is_redacted_and_keyed_by_its_exchange() -> None:
    thumb = _feedback(thumb="down", thread_id="thr_0000001a", message_id="m-1",
                      comment="call 555-123-4567")  # fmt: skip
    item = item_for(thumb, question="I'm jo@example.com", reply="ok")
    assert (item.question, item.comment) == ("I'm [EMAIL]", "call [PHONE]")
    again = item_for(thumb.model_copy(update={"feedback_id": "fbk_00000002"}))
    assert again.item_id == item.item_id  # a second thumb on the same reply: the same item
    rating = item_for(_feedback(rating=1), thread_id="thr_0000001a")
    assert rating.thread_id == "thr_0000001a" and rating.message_id == "fbk_00000001"
    assert rating.item_id != item.item_id


def test_only_an_open_item_can_be_resolved_or_dismissed(tmp_path) -> None:
    from storage.sqlite import Database
    from storage.sqlite_feedback_reviews import SqliteFeedbackReviewRepository

    repo = SqliteFeedbackReviewRepository(Database(tmp_path / "r.sqlite"))
    item, _ = repo.add(item_for(_feedback(thumb="down", thread_id="thr_0000001a", message_id="m")))
    assert set(TRANSITIONS) == {("open", "resolve"), ("open", "dismiss")}
    done = act(repo, item.item_id, "dismiss", actor="usr_staff001", at=T0, note="spam")
    assert (done.status, done.closed_by, done.note) == ("dismissed", "usr_staff001", "spam")
    with pytest.raises(Conflict, match="already dismissed"):
        act(repo, item.item_id, "resolve", actor="usr_staff001", at=T0)
    with pytest.raises(NotFound):
        act(repo, "fbr_" + "0" * 24, "resolve", actor="usr_staff001", at=T0)


def test_a_thumbs_down_opens_one_item_staff_turn_into_an_eval_case(client, alice, settings):
    thread, reply_id = _thread_with_reply(client, alice)
    thumb = {"thread_id": thread, "message_id": reply_id, "thumb": "down",
             "comment": "wrong rate, mail me at jo@example.com"}  # fmt: skip
    for _ in range(2):  # the same reply thumbed twice is one item
        assert client.post("/v1/feedback/messages", json=thumb, headers=alice).status_code == 201
    up = {**thumb, "thumb": "up"}
    assert client.post("/v1/feedback/messages", json=up, headers=alice).status_code == 201
    staff = log_in_staff(client)
    assert client.get("/v1/staff/feedback-reviews", headers=alice).status_code == 403
    items = client.get("/v1/staff/feedback-reviews", headers=staff).json()
    assert len(items) == 1
    item = items[0]
    assert (item["status"], item["thread_id"], item["message_id"]) == ("open", thread, reply_id)
    assert item["question"] == "I want a car loan of $20,000 over 4 years"
    assert item["reply"] and "jo@example.com" not in item["comment"]
    assert item["draft_file"] == f"evals/review_drafts/review-{thread.lower()}.yaml"
    metrics = client.get("/metrics").text
    assert 'feedback_review_items_opened_total{source="thumb"} 1.0' in metrics

    url = f"/v1/staff/feedback-reviews/{item['item_id']}"
    assert client.get(url, headers=alice).status_code == 403
    detail = client.get(url, headers=staff).json()
    assert [t["role"] for t in detail["transcript"]][:2] == ["applicant", "advisor"]
    assert [t["message_id"] for t in detail["transcript"] if t["rated"]] == [reply_id]

    body = {"note": "quoted the wrong rate", "must_not_include": [r"29\.9%"]}
    assert client.post(f"{url}/eval-case", json=body, headers=alice).status_code == 403
    made = client.post(f"{url}/eval-case", json=body, headers=staff)
    assert made.status_code == 201, made.text
    draft, linked = made.json()["draft"], made.json()["item"]
    assert draft["path"].startswith(str(settings.var_dir / "evals" / "review_drafts"))
    assert linked["eval_case"] == draft["path"].rsplit("/", 1)[-1] == f"{draft['case_id']}.yaml"
    assert draft["path"] == str(settings.var_dir / item["draft_file"])  # what the UI announced
    case = Case.model_validate(yaml.safe_load(draft["yaml"]))
    assert case.opening == "I want a car loan of $20,000 over 4 years"

    assert client.post(f"{url}/resolve", json={}, headers=alice).status_code == 403
    resolved = client.post(f"{url}/resolve", json={"note": "prompt fixed"}, headers=staff).json()
    assert resolved["status"] == "resolved" and resolved["closed_at"]
    assert resolved["closed_by"] == "staff@example.com"  # a name staff know, not a user id
    again = client.post(f"{url}/dismiss", json={}, headers=staff)
    assert again.status_code == 409
    assert client.get("/v1/staff/feedback-reviews?status=open", headers=staff).json() == []
    done = client.get("/v1/staff/feedback-reviews?status=resolved", headers=staff).json()
    assert [i["eval_case"] for i in done] == [linked["eval_case"]]
    missing = client.get("/v1/staff/feedback-reviews/fbr_" + "0" * 24, headers=staff)
    assert missing.status_code == 404


def test_a_low_rating_opens_an_item_queued_open_first(client, alice, staff):
    app = client.post("/v1/applications", json=application_body(), headers=alice).json()
    for rating in (1, 2, 3, 5):
        body = {"rating": rating, "application_id": app["application_id"], "comment": "slow"}
        assert client.post("/v1/feedback/rating", json=body, headers=alice).status_code == 201
    items = client.get("/v1/staff/feedback-reviews", headers=staff).json()
    assert sorted(i["rating"] for i in items) == [1, 2]
    first = items[0]
    assert first["application_id"] == app["application_id"] and first["thread_id"] is None
    assert first["draft_file"] is None
    no_thread = client.post(
        f"/v1/staff/feedback-reviews/{first['item_id']}/eval-case",
        json={"note": "nothing to replay"}, headers=staff,
    )  # fmt: skip
    assert no_thread.status_code == 422 and "no conversation" in no_thread.text
    url = f"/v1/staff/feedback-reviews/{first['item_id']}/dismiss"
    assert client.post(url, json={"note": "n/a"}, headers=staff).json()["status"] == "dismissed"
    queue = client.get("/v1/staff/feedback-reviews", headers=staff).json()
    assert [i["status"] for i in queue] == ["open", "dismissed"]  # open first
