"""Chat threads: who owns which conversation (the messages live in the checkpointer)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from pydantic import BaseModel

from core.clock import Clock
from storage.sqlite import Database


class ThreadRecord(BaseModel):
    """A conversation and its owner."""

    thread_id: str
    owner: str
    title: str
    created_at: datetime
    updated_at: datetime


class ThreadRepository(Protocol):
    """Storage of thread ownership and titles."""

    def create(self, thread_id: str, owner: str, title: str) -> ThreadRecord:
        """Store a new thread owned by `owner`."""
        ...

    def get(self, thread_id: str) -> ThreadRecord | None:
        """Return the thread, or None if there is no such thread."""
        ...

    def list_for(self, owner: str, limit: int = 50) -> list[ThreadRecord]:
        """Return `owner`'s threads, most recently used first."""
        ...

    def touch(self, thread_id: str, title: str | None = None) -> None:
        """Mark the thread as used now, optionally setting its title."""
        ...


class SqliteThreadRepository:
    """Threads in an SQLite table."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock
        db.migrate(
            "0001_threads",
            [
                "CREATE TABLE IF NOT EXISTS threads (thread_id TEXT PRIMARY KEY, owner TEXT NOT"
                " NULL, title TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)",
                "CREATE INDEX IF NOT EXISTS threads_owner ON threads(owner, updated_at)",
            ],
        )

    def create(self, thread_id: str, owner: str, title: str) -> ThreadRecord:
        """Store a new thread owned by `owner`."""
        now = self._clock.now()
        self._db.conn.execute(
            "INSERT INTO threads VALUES (?, ?, ?, ?, ?)",
            (thread_id, owner, title, now.isoformat(), now.isoformat()),
        )
        return ThreadRecord(
            thread_id=thread_id, owner=owner, title=title, created_at=now, updated_at=now
        )

    def get(self, thread_id: str) -> ThreadRecord | None:
        """Return the thread, or None if there is no such thread."""
        row = self._db.conn.execute(
            "SELECT * FROM threads WHERE thread_id = ?", (thread_id,)
        ).fetchone()
        return ThreadRecord(**dict(row)) if row else None

    def list_for(self, owner: str, limit: int = 50) -> list[ThreadRecord]:
        """Return `owner`'s threads, most recently used first."""
        rows = self._db.conn.execute(
            "SELECT * FROM threads WHERE owner = ? ORDER BY updated_at DESC LIMIT ?", (owner, limit)
        ).fetchall()
        return [ThreadRecord(**dict(r)) for r in rows]

    def touch(self, thread_id: str, title: str | None = None) -> None:
        """Mark the thread as used now, optionally setting its title."""
        now = self._clock.now().isoformat()
        if title is None:
            self._db.conn.execute(
                "UPDATE threads SET updated_at = ? WHERE thread_id = ?", (now, thread_id)
            )
        else:
            self._db.conn.execute(
                "UPDATE threads SET updated_at = ?, title = ? WHERE thread_id = ?",
                (now, title, thread_id),
            )
