"""Business events the tools report (submitted, accepted, handover), for staff and audit."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from pydantic import BaseModel

from core.clock import Clock
from core.ids import new_id
from storage.sqlite import Database

PendingEvent = tuple[str, str | None, dict[str, Any]]  # (kind, thread_id, payload)


class EventRecord(BaseModel):
    """One reported event."""

    event_id: str
    kind: str
    thread_id: str | None
    payload: dict[str, Any]
    at: datetime


class EventRepository(Protocol):
    """Append-only event log (implements tools.ports.EventLog)."""

    def record(self, event: str, thread_id: str | None, payload: dict[str, Any]) -> None:
        """Store one event."""
        ...

    def recent(self, kind: str | None = None, limit: int = 100) -> list[EventRecord]:
        """Return the newest events, optionally of one kind."""
        ...


class SqliteEventRepository:
    """Events in SQLite."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock
        db.migrate(
            "0004_events",
            [
                "CREATE TABLE events (event_id TEXT PRIMARY KEY, kind TEXT NOT NULL, thread_id"
                " TEXT, payload TEXT NOT NULL, at TEXT NOT NULL)",
                "CREATE INDEX events_kind ON events(kind, at)",
            ],
        )

    def record(self, event: str, thread_id: str | None, payload: dict[str, Any]) -> None:
        """Store one event."""
        self.record_many([(event, thread_id, payload)])

    def record_many(self, events: Sequence[PendingEvent]) -> None:
        """Store `events` in one transaction: one commit, one take of the file's write lock."""
        rows = [
            (new_id("evt"), kind, thread, json.dumps(payload, default=str), self._now())
            for kind, thread, payload in events
        ]
        if len(rows) == 1:  # autocommit: the statement is its own transaction
            self._db.conn.execute("INSERT INTO events VALUES (?, ?, ?, ?, ?)", rows[0])
            return
        with self._db.transaction() as conn:
            conn.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?)", rows)

    def _now(self) -> str:
        return self._clock.now().isoformat()

    def recent(self, kind: str | None = None, limit: int = 100) -> list[EventRecord]:
        """Return the newest events, optionally of one kind."""
        if kind is None:
            cur = self._db.conn.execute("SELECT * FROM events ORDER BY at DESC LIMIT ?", (limit,))
        else:
            cur = self._db.conn.execute(
                "SELECT * FROM events WHERE kind = ? ORDER BY at DESC LIMIT ?", (kind, limit)
            )
        return [
            EventRecord(**{**dict(r), "payload": json.loads(r["payload"])}) for r in cur.fetchall()
        ]
