"""One behavioural contract for every storage backend (SQLite here, DynamoDB in integration)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from api.backends import build_repositories
from core.clock import FixedClock
from core.config import Settings
from core.errors import Conflict, NotFound, ValidationFailed
from storage.feedback_reviews import FeedbackReviewRecord, review_item_id
from storage.records import (
    ApplicationRecord,
    DocumentRecord,
    FeedbackRecord,
    OfferRecord,
    StatusChange,
    UserRecord,
)
from storage.repositories import Repositories

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _app(app_id: str, owner: str = "usr_alice001", status: str = "received") -> ApplicationRecord:
    return ApplicationRecord(
        application_id=app_id,
        owner=owner,
        status=status,
        profile={"age": 30},
        request={"product": "car", "amount": "1000", "tenure_months": 12},
        decision={"outcome": "approved"} if status == "approved" else None,
        created_at=T0,
        updated_at=T0,
        history=[StatusChange(status="received", at=T0, actor="system")],
    )


def check_repositories_contract(repos: Repositories) -> None:
    """Exercise every repository the way the API does."""
    repos.ping()
    # users
    user = UserRecord(
        user_id="usr_u0000001", email="Ada@Example.com", password_hash="h", created_at=T0
    )
    repos.users.create(user)
    with pytest.raises(Conflict):
        repos.users.create(user.model_copy(update={"user_id": "usr_u0000002"}))
    found = repos.users.get_by_email("ada@example.com")
    assert found is not None and found.user_id == "usr_u0000001"
    repos.users.set_role("usr_u0000001", "staff")
    assert repos.users.get_by_email("ada@example.com").role == "staff"
    # threads
    repos.threads.create("thr_0000001a", "usr_alice001", "First")
    repos.threads.create("thr_0000002a", "usr_alice001", "Second")
    repos.threads.touch("thr_0000001a", title="Renamed")
    assert repos.threads.get("thr_0000001a").title == "Renamed"
    assert repos.threads.get("thr_missing1") is None

    # applications: idempotency under concurrency
    def submit(i: int) -> tuple[str, bool]:
        record, created = repos.applications.submit(_app(f"app_conc{i:04d}"), "idem-key-001", "h1")
        return record.application_id, created

    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(submit, range(12)))
    assert len({r for r, _ in results}) == 1 and sum(c for _, c in results) == 1
    with pytest.raises(ValidationFailed):
        repos.applications.submit(_app("app_otherkey"), "idem-key-001", "h2")
    # other owner, same key: independent
    _, created = repos.applications.submit(
        _app("app_bob00001", owner="usr_bob00001"), "idem-key-001", "h1"
    )
    assert created
    repos.applications.submit(_app("app_approved", status="approved"), None, "h3")
    first = results[0][0]
    # transitions
    moved = repos.applications.transition(
        first, "under_review", expected="received", actor="system", at=T0 + timedelta(1)
    )
    assert [c.status for c in moved.history] == ["received", "under_review"]
    assert [a.application_id for a in repos.applications.list_by_status("under_review")] == [first]
    with pytest.raises(Conflict):  # a stale status: the store refuses, nothing is written
        repos.applications.transition(
            first, "offer_accepted", expected="approved", actor="x", at=T0
        )
    assert len(repos.applications.get(first).history) == 2
    with pytest.raises(NotFound):
        repos.applications.transition(
            "app_nothere1", "withdrawn", expected="received", actor="x", at=T0
        )
    decided = repos.applications.transition(
        first,
        "approved",
        expected="under_review",
        actor="usr_staff001",
        at=T0,
        decision={"outcome": "approved"},
    )
    assert decided.decision == {"outcome": "approved"} and decided.status == "approved"
    mine = repos.applications.list_for("usr_alice001")
    assert {a.application_id for a in mine} == {first, "app_approved"}
    assert repos.applications.count_by_status() == {"approved": 2, "received": 1}
    # the conversation's application: the newest in that thread, of that owner only
    in_thread = [
        _app(f"app_thread{i:02d}").model_copy(
            update={"thread_id": "thr_0000001a", "created_at": T0 + timedelta(days=2 + i)}
        )
        for i in range(2)
    ]
    for record in in_thread:
        repos.applications.submit(record, None, "h4")
    repos.applications.submit(
        _app("app_bobthrd1", owner="usr_bob00001").model_copy(
            update={"thread_id": "thr_0000001a", "created_at": T0 + timedelta(days=9)}
        ),
        None,
        "h5",
    )
    newest = repos.applications.for_thread("usr_alice001", "thr_0000001a")
    assert newest is not None and newest.application_id == "app_thread01"
    assert [c.status for c in newest.history] == ["received"]
    assert repos.applications.for_thread("usr_alice001", "thr_0000002a") is None
    assert repos.applications.for_thread("usr_bob00001", "thr_0000002a") is None
    # offers
    offers = [
        OfferRecord(
            offer_id=f"ofr_000000{i}a",
            application_id=first,
            owner="usr_alice001",
            terms={"n": i},
            created_at=T0 + timedelta(seconds=i),
        )
        for i in range(3)
    ]
    repos.offers.replace_active(first, offers[:2])
    repos.offers.replace_active(first, offers[2:])
    assert [o.offer_id for o in repos.offers.list_for(first)] == ["ofr_0000002a"]
    assert len(repos.offers.list_for(first, include_old=True)) == 3
    added = OfferRecord(
        offer_id="ofr_0000003a",
        application_id=first,
        owner="usr_alice001",
        terms={"n": 3},
        created_at=T0 + timedelta(seconds=9),
    )
    repos.offers.add([added])  # a counter-offer joins the active set, superseding nothing
    assert [o.offer_id for o in repos.offers.list_for(first)] == ["ofr_0000002a", "ofr_0000003a"]
    with pytest.raises(Conflict):
        repos.offers.accept("ofr_0000000a")
    assert repos.offers.accept("ofr_0000002a").status == "accepted"
    with pytest.raises(NotFound):
        repos.offers.accept("ofr_missing01")
    # documents
    doc = DocumentRecord(
        document_id="doc_0000001a",
        owner="usr_alice001",
        kind="identity",
        filename="id.png",
        content_type="image/png",
        size_bytes=10,
        storage_key="usr_alice001/doc_0000001a",
        created_at=T0,
    )
    repos.documents.put(doc)
    repos.documents.put(doc.model_copy(update={"status": "pending_upload"}))
    assert repos.documents.get("doc_0000001a").status == "pending_upload"
    assert [d.document_id for d in repos.documents.list_for("usr_alice001")] == ["doc_0000001a"]
    repos.documents.delete("doc_0000001a")
    assert repos.documents.get("doc_0000001a") is None
    # feedback and events
    for i, (rating, thumb) in enumerate([(5, None), (3, None), (None, "up")]):
        repos.feedback.add(
            FeedbackRecord(
                feedback_id=f"fbk_000000{i}a", owner="o", rating=rating, thumb=thumb, created_at=T0
            )
        )
    assert repos.feedback.summary() == {
        "ratings": 2.0,
        "mean_rating": 4.0,
        "thumbs_up": 1.0,
        "thumbs_down": 0.0,
    }
    repos.events.record("handover", "thr_0000001a", {"reason": "ask a person"})
    repos.events.record("submitted", None, {"application_id": first})
    assert [e.kind for e in repos.events.recent("handover")] == ["handover"]
    assert {e.kind for e in repos.events.recent()} == {"handover", "submitted"}
    check_feedback_reviews(repos)


def check_feedback_reviews(repos: Repositories) -> None:
    """Opening is idempotent per exchange; queues follow status; a stale close is refused."""
    items = [
        FeedbackReviewRecord(
            item_id=review_item_id("thr_0000001a", f"msg-{i}"),
            feedback_id=f"fbk_r00000{i}",
            thread_id="thr_0000001a",
            message_id=f"msg-{i}",
            question="q",
            reply="r",
            thumb="down",
            created_at=T0 + timedelta(seconds=i),
        )  # fmt: skip
        for i in range(3)
    ]
    for item in reversed(items):
        assert repos.feedback_reviews.add(item) == (item, True)
    again, created = repos.feedback_reviews.add(items[0].model_copy(update={"comment": "later"}))
    assert not created and again.comment == "" and again.item_id == items[0].item_id
    assert [i.item_id for i in repos.feedback_reviews.list("open")] == [i.item_id for i in items]
    done = repos.feedback_reviews.transition(
        items[1].item_id, "resolved", expected="open", actor="usr_staff001", at=T0, note="fixed"
    )
    assert (done.status, done.closed_by, done.closed_at, done.note) == (
        "resolved", "usr_staff001", T0, "fixed"
    )  # fmt: skip
    assert [i.item_id for i in repos.feedback_reviews.list("open")] == [
        items[0].item_id, items[2].item_id
    ]  # fmt: skip
    assert [i.item_id for i in repos.feedback_reviews.list("resolved")] == [items[1].item_id]
    with pytest.raises(Conflict):
        repos.feedback_reviews.transition(
            items[1].item_id, "dismissed", expected="open", actor="usr_staff002", at=T0
        )
    with pytest.raises(NotFound):
        repos.feedback_reviews.transition(
            "fbr_missing0001", "dismissed", expected="open", actor="usr_staff002", at=T0
        )
    linked = repos.feedback_reviews.link_eval_case(items[1].item_id, "review-thr_0000001a.yaml")
    assert linked.eval_case == "review-thr_0000001a.yaml" and linked.status == "resolved"
    assert repos.feedback_reviews.get(items[1].item_id) == linked
    assert repos.feedback_reviews.get("fbr_missing0001") is None


def test_sqlite_repositories_contract(tmp_path):
    repos = build_repositories(Settings(var_dir=tmp_path), FixedClock(T0))
    try:
        check_repositories_contract(repos)
    finally:
        repos.close()
