"""Review items: a thumbs-down or a low rating turned into work for staff, and its repository.

One item per rated exchange (`item_id` is derived from thread and message, so a second thumb on
the same reply finds the same item); the question, reply and comment are stored redacted. The
feedback review service (api/feedback_reviews.py) decides when an item opens and which status
may follow which; the store only refuses a change made from a stale status.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Literal, Protocol

from pydantic import BaseModel, Field

ReviewStatus = Literal["open", "resolved", "dismissed"]
REVIEW_STATUSES: tuple[ReviewStatus, ...] = ("open", "resolved", "dismissed")  # queue order


def review_item_id(thread_id: str, message_id: str) -> str:
    """Return the one item id of a rated exchange (idempotency key: thread and message)."""
    digest = hashlib.sha256(f"{thread_id}\x00{message_id}".encode()).hexdigest()
    return f"fbr_{digest[:24]}"


class FeedbackReviewRecord(BaseModel):
    """One rated exchange waiting for (or handled by) staff."""

    item_id: str
    feedback_id: str = Field(description="the feedback row that opened the item")
    thread_id: str | None = Field(description="the conversation; None for a process rating")
    message_id: str = Field(description="the rated reply, or the rating's feedback id")
    question: str = Field("", description="the applicant's turn before the reply, redacted")
    reply: str = Field("", description="the rated reply, redacted")
    thumb: Literal["up", "down"] | None = None
    rating: int | None = None
    comment: str = Field("", description="the applicant's comment, redacted")
    application_id: str | None = None
    status: ReviewStatus = "open"
    created_at: datetime
    closed_by: str | None = Field(None, description="staff member (email, else id) who closed it")
    closed_at: datetime | None = None
    note: str = Field("", description="the staff note on closing")
    eval_case: str | None = Field(None, description="file name of the eval-case draft made")


class FeedbackReviewRepository(Protocol):
    """Review items, queued by status."""

    def add(self, record: FeedbackReviewRecord) -> tuple[FeedbackReviewRecord, bool]:
        """Store `record` unless an item with its id exists; return (stored item, created now)."""
        ...

    def get(self, item_id: str) -> FeedbackReviewRecord | None:
        """Return one item, or None."""
        ...

    def list(self, status: ReviewStatus, limit: int = 200) -> list[FeedbackReviewRecord]:
        """Return items in `status`, oldest first."""
        ...

    def transition(
        self,
        item_id: str,
        to: ReviewStatus,
        *,
        expected: ReviewStatus,
        actor: str,
        at: datetime,
        note: str = "",
    ) -> FeedbackReviewRecord:
        """Move an item from `expected` to `to`, atomically, recording who and when.

        Raises:
            NotFound: no such item.
            Conflict: the item is no longer in `expected` (someone else handled it).
        """
        ...

    def link_eval_case(self, item_id: str, file_name: str) -> FeedbackReviewRecord:
        """Record the eval-case draft made from the item (the latest one wins); `NotFound`."""
        ...
