"""SQLite repository of feedback review items (one row per rated exchange)."""

from __future__ import annotations

from datetime import datetime

from core.errors import Conflict, NotFound
from storage.feedback_reviews import FeedbackReviewRecord, ReviewStatus
from storage.sqlite import Database

_MIGRATION = [
    "CREATE TABLE feedback_reviews (item_id TEXT PRIMARY KEY, feedback_id TEXT NOT NULL,"
    " thread_id TEXT, message_id TEXT NOT NULL, question TEXT NOT NULL, reply TEXT NOT NULL,"
    " thumb TEXT, rating INTEGER, comment TEXT NOT NULL, application_id TEXT,"
    " status TEXT NOT NULL, created_at TEXT NOT NULL, closed_by TEXT, closed_at TEXT,"
    " note TEXT NOT NULL, eval_case TEXT)",
    "CREATE INDEX feedback_reviews_status ON feedback_reviews(status, created_at)",
]


class SqliteFeedbackReviewRepository:
    """Review items in SQLite; `INSERT OR IGNORE` makes opening an item idempotent."""

    def __init__(self, db: Database) -> None:
        self._db = db
        db.migrate("0006_feedback_reviews", _MIGRATION)

    def add(self, record: FeedbackReviewRecord) -> tuple[FeedbackReviewRecord, bool]:
        """Store `record` unless its item exists; return (stored item, created now)."""
        data = record.model_dump()
        values = [v.isoformat() if isinstance(v, datetime) else v for v in data.values()]
        cols, marks = ", ".join(data), ", ".join("?" for _ in data)
        cur = self._db.conn.execute(
            f"INSERT OR IGNORE INTO feedback_reviews ({cols}) VALUES ({marks})",  # noqa: S608
            values,
        )
        stored = self.get(record.item_id)
        assert stored is not None
        return stored, cur.rowcount == 1

    def get(self, item_id: str) -> FeedbackReviewRecord | None:
        """Return one item, or None."""
        row = self._db.conn.execute(
            "SELECT * FROM feedback_reviews WHERE item_id = ?", (item_id,)
        ).fetchone()
        return FeedbackReviewRecord(**dict(row)) if row else None

    def list(self, status: ReviewStatus, limit: int = 200) -> list[FeedbackReviewRecord]:
        """Return items in `status`, oldest first."""
        rows = self._db.conn.execute(
            "SELECT * FROM feedback_reviews WHERE status = ? ORDER BY created_at, item_id LIMIT ?",
            (status, limit),
        ).fetchall()
        return [FeedbackReviewRecord(**dict(r)) for r in rows]

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
        """Move an item from `expected` to `to` in one conditional update."""
        cur = self._db.conn.execute(
            "UPDATE feedback_reviews SET status = ?, closed_by = ?, closed_at = ?, note = ?"
            " WHERE item_id = ? AND status = ?",
            (to, actor, at.isoformat(), note, item_id, expected),
        )
        current = self.get(item_id)
        if current is None:
            raise NotFound(f"no review item {item_id!r}", field="item_id")
        if cur.rowcount != 1:
            raise Conflict(f"this review item is already {current.status}")
        return current

    def link_eval_case(self, item_id: str, file_name: str) -> FeedbackReviewRecord:
        """Record the eval-case draft made from the item."""
        self._db.conn.execute(
            "UPDATE feedback_reviews SET eval_case = ? WHERE item_id = ?", (file_name, item_id)
        )
        current = self.get(item_id)
        if current is None:
            raise NotFound(f"no review item {item_id!r}", field="item_id")
        return current
