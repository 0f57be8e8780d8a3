"""Real SQLite repositories over one file (tests get the product's store, not a fake)."""

from __future__ import annotations

from pathlib import Path

from core.clock import Clock
from storage.events import SqliteEventRepository
from storage.repositories import Repositories
from storage.sqlite import Database
from storage.sqlite_applications import SqliteApplicationRepository, SqliteUserRepository
from storage.sqlite_records import (
    SqliteDocumentRepository,
    SqliteFeedbackRepository,
    SqliteOfferRepository,
)
from storage.threads import SqliteThreadRepository


def sqlite_repos(path: Path, clock: Clock) -> Repositories:
    """Return every repository over the SQLite file at `path`."""
    db = Database(path)
    return Repositories(
        users=SqliteUserRepository(db),
        threads=SqliteThreadRepository(db, clock),
        applications=SqliteApplicationRepository(db),
        offers=SqliteOfferRepository(db),
        documents=SqliteDocumentRepository(db),
        feedback=SqliteFeedbackRepository(db),
        events=SqliteEventRepository(db, clock),
        ping=lambda: None,
        close=db.close,
    )
