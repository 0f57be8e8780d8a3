"""Every repository over one SQLite file: the embedded store's one assembly.

The composition root calls this with the configured path; tests call it with a temporary one,
so both run the product's store and neither repeats the list of repositories.
"""

from __future__ import annotations

from pathlib import Path

from core.clock import Clock
from storage.events import SqliteEventRepository
from storage.repositories import Repositories
from storage.sqlite import Database
from storage.sqlite_applications import SqliteApplicationRepository, SqliteUserRepository
from storage.sqlite_feedback_reviews import SqliteFeedbackReviewRepository
from storage.sqlite_records import (
    SqliteDocumentRepository,
    SqliteFeedbackRepository,
    SqliteOfferRepository,
)
from storage.threads import SqliteThreadRepository


def sqlite_repositories(path: Path, clock: Clock) -> Repositories:
    """Return every repository over the SQLite file at `path` (created if missing)."""
    db = Database(path)

    def ping() -> None:
        db.conn.execute("SELECT 1").fetchone()

    return Repositories(
        users=SqliteUserRepository(db),
        threads=SqliteThreadRepository(db, clock),
        applications=SqliteApplicationRepository(db),
        offers=SqliteOfferRepository(db),
        documents=SqliteDocumentRepository(db),
        feedback=SqliteFeedbackRepository(db),
        feedback_reviews=SqliteFeedbackReviewRepository(db),
        events=SqliteEventRepository(db, clock),
        ping=ping,
        close=db.close,
    )
