"""The feedback review service: a thumbs-down or a low rating becomes an item staff work through.

The one owner of when an item opens (`needs_review`), what it holds (redacted question, reply and
comment) and which status may follow which (`TRANSITIONS`). Routes call it; the repository only
stores and refuses stale changes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from core.errors import Conflict, NotFound
from core.metrics import Recorder
from core.redaction import redact
from storage.feedback_reviews import (
    FeedbackReviewRecord,
    FeedbackReviewRepository,
    ReviewStatus,
    review_item_id,
)
from storage.records import FeedbackRecord

LOW_RATING = 2  # a process rating at or below this opens an item (1-5 scale)
ReviewAction = Literal["resolve", "dismiss"]
TRANSITIONS: dict[tuple[ReviewStatus, ReviewAction], ReviewStatus] = {
    ("open", "resolve"): "resolved",
    ("open", "dismiss"): "dismissed",
}
OPENED_METRIC = "feedback_review_items_opened_total"


def needs_review(record: FeedbackRecord) -> bool:
    """Return whether this feedback asks for a person to look: thumbs-down or rating <= 2."""
    return record.thumb == "down" or (record.rating is not None and record.rating <= LOW_RATING)


def item_for(
    record: FeedbackRecord, *, question: str = "", reply: str = "", thread_id: str | None = None
) -> FeedbackReviewRecord:
    """Return the review item for a piece of feedback, every text redacted.

    A thumb names its thread and message; a process rating has no message, so its own feedback
    id stands in (and `thread_id` may be the rated application's conversation).
    """
    thread = record.thread_id or thread_id
    message = record.message_id or record.feedback_id
    return FeedbackReviewRecord(
        item_id=review_item_id(thread or "rating", message),
        feedback_id=record.feedback_id,
        thread_id=thread,
        message_id=message,
        question=redact(question),
        reply=redact(reply),
        thumb=record.thumb,
        rating=record.rating,
        comment=redact(record.comment),
        application_id=record.application_id,
        created_at=record.created_at,
    )


def open_for(
    repo: FeedbackReviewRepository,
    recorder: Recorder,
    record: FeedbackRecord,
    *,
    question: str = "",
    reply: str = "",
    thread_id: str | None = None,
) -> FeedbackReviewRecord | None:
    """Open an item for feedback that needs review; None when it does not.

    A second thumbs-down on the same reply finds the item already open and counts nothing, so
    the opened counter is the number of distinct exchanges staff were asked to look at.
    """
    if not needs_review(record):
        return None
    item, created = repo.add(item_for(record, question=question, reply=reply, thread_id=thread_id))
    if created:
        recorder.count(OPENED_METRIC, source="thumb" if record.thumb else "rating")
    return item


def act(
    repo: FeedbackReviewRepository,
    item_id: str,
    action: ReviewAction,
    *,
    actor: str,
    at: datetime,
    note: str = "",
) -> FeedbackReviewRecord:
    """Resolve or dismiss an item, recording who and when.

    Raises:
        NotFound: no such item.
        Conflict: the item's status does not allow `action` (already handled).
    """
    current = repo.get(item_id)
    if current is None:
        raise NotFound(f"no review item {item_id!r}", field="item_id")
    to = TRANSITIONS.get((current.status, action))
    if to is None:
        raise Conflict(f"this review item is already {current.status}")
    return repo.transition(item_id, to, expected=current.status, actor=actor, at=at, note=note)


Role = Literal["applicant", "advisor"]


def transcript(messages: list[Any]) -> list[tuple[str, Role, str]]:
    """Return (message id, role, redacted text) for the applicant's and advisor's turns.

    Tool calls and tool results are left out: staff review what the applicant saw.
    """
    turns: list[tuple[str, Role, str]] = []
    for m in messages:
        if m.type in ("human", "ai") and m.content:
            role: Role = "applicant" if m.type == "human" else "advisor"
            turns.append((str(m.id or ""), role, redact(str(m.content))))
    return turns
