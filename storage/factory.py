"""Build the configured store once, at the edge (app start-up, CLI)."""

from __future__ import annotations

from core.clock import Clock
from core.config import Settings
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


def build_repositories(settings: Settings, clock: Clock) -> Repositories:
    """Return SQLite repositories (default) or DynamoDB ones (`store=dynamodb`)."""
    if settings.store == "dynamodb":
        from storage.dynamodb import build_dynamodb_repositories

        repos: Repositories = build_dynamodb_repositories(settings, clock)
        return repos
    db = Database(settings.app_db_path)

    def ping() -> None:
        db.conn.execute("SELECT 1").fetchone()

    return Repositories(
        users=SqliteUserRepository(db),
        threads=SqliteThreadRepository(db, clock),
        applications=SqliteApplicationRepository(db),
        offers=SqliteOfferRepository(db),
        documents=SqliteDocumentRepository(db),
        feedback=SqliteFeedbackRepository(db),
        events=SqliteEventRepository(db, clock),
        ping=ping,
        close=db.close,
    )
