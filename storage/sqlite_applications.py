"""SQLite repositories for users and applications (with status history and idempotency keys)."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any

from core.errors import Conflict, NotFound, ValidationFailed
from storage.records import ApplicationRecord, StatusChange, UserRecord
from storage.sqlite import Database

_MIGRATION = [
    "CREATE TABLE users (user_id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE,"
    " password_hash TEXT NOT NULL, role TEXT NOT NULL, created_at TEXT NOT NULL)",
    "CREATE TABLE applications (application_id TEXT PRIMARY KEY, owner TEXT NOT NULL,"
    " status TEXT NOT NULL, profile TEXT NOT NULL, request TEXT NOT NULL, decision TEXT,"
    " thread_id TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)",
    "CREATE INDEX applications_owner ON applications(owner, created_at)",
    "CREATE INDEX applications_status ON applications(status, created_at)",
    "CREATE TABLE application_status (application_id TEXT NOT NULL REFERENCES"
    " applications(application_id), seq INTEGER NOT NULL, status TEXT NOT NULL, at TEXT NOT NULL,"
    " actor TEXT NOT NULL, note TEXT NOT NULL, PRIMARY KEY (application_id, seq))",
    "CREATE TABLE idempotency_keys (owner TEXT NOT NULL, key TEXT NOT NULL, request_hash TEXT"
    " NOT NULL, application_id TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (owner, key))",
]

# Every chat turn asks for its conversation's application: one indexed row, not a scan of
# the owner's whole history.
_THREAD_INDEX = [
    "CREATE INDEX applications_owner_thread ON applications(owner, thread_id, created_at)"
]


class SqliteUserRepository:
    """Local identity-provider accounts in SQLite."""

    def __init__(self, db: Database) -> None:
        self._db = db
        db.migrate("0002_users_applications", _MIGRATION)

    def create(self, user: UserRecord) -> None:
        """Store a new user; raises `Conflict` if the email is taken."""
        try:
            self._db.conn.execute(
                "INSERT INTO users VALUES (?, ?, ?, ?, ?)",
                (
                    user.user_id,
                    user.email.lower(),
                    user.password_hash,
                    user.role,
                    user.created_at.isoformat(),
                ),
            )
        except sqlite3.IntegrityError as exc:
            raise Conflict("an account with this email already exists", field="email") from exc

    def get_by_email(self, email: str) -> UserRecord | None:
        """Return the user with this (lower-cased) email, or None."""
        row = self._db.conn.execute(
            "SELECT * FROM users WHERE email = ?", (email.lower(),)
        ).fetchone()
        return UserRecord(**dict(row)) if row else None

    def set_role(self, user_id: str, role: str) -> None:
        """Change a user's role (staff seeding)."""
        self._db.conn.execute("UPDATE users SET role = ? WHERE user_id = ?", (role, user_id))


class SqliteApplicationRepository:
    """Applications, history and idempotency keys in SQLite; each change is one transaction."""

    def __init__(self, db: Database) -> None:
        self._db = db
        db.migrate("0002_users_applications", _MIGRATION)
        db.migrate("0007_applications_thread", _THREAD_INDEX)

    def submit(
        self, record: ApplicationRecord, idempotency_key: str | None, request_hash: str
    ) -> tuple[ApplicationRecord, bool]:
        """Store `record` unless the owner already used `idempotency_key`; atomic."""
        with self._db.transaction() as conn:
            if idempotency_key is not None:
                row = conn.execute(
                    "SELECT request_hash, application_id FROM idempotency_keys"
                    " WHERE owner = ? AND key = ?",
                    (record.owner, idempotency_key),
                ).fetchone()
                if row is not None:
                    if row["request_hash"] != request_hash:
                        raise ValidationFailed(
                            "this Idempotency-Key was already used with a different request",
                            field="Idempotency-Key",
                        )
                    existing = self._load(conn, row["application_id"])
                    if existing is None:  # pragma: no cover - written in the same transaction
                        raise NotFound("application vanished")
                    return existing, False
                conn.execute(
                    "INSERT INTO idempotency_keys VALUES (?, ?, ?, ?, ?)",
                    (
                        record.owner,
                        idempotency_key,
                        request_hash,
                        record.application_id,
                        record.created_at.isoformat(),
                    ),
                )
            conn.execute(
                "INSERT INTO applications VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    record.application_id,
                    record.owner,
                    record.status,
                    json.dumps(record.profile),
                    json.dumps(record.request),
                    json.dumps(record.decision) if record.decision is not None else None,
                    record.thread_id,
                    record.created_at.isoformat(),
                    record.updated_at.isoformat(),
                ),
            )
            for seq, change in enumerate(record.history):
                _insert_change(conn, record.application_id, seq, change)
        return record, True

    def get(self, application_id: str) -> ApplicationRecord | None:
        """Return the application with its history, or None."""
        return self._load(self._db.conn, application_id)

    def list_for(self, owner: str, limit: int = 50) -> list[ApplicationRecord]:
        """Return `owner`'s applications, newest first."""
        rows = self._db.conn.execute(
            "SELECT application_id FROM applications WHERE owner = ? ORDER BY created_at DESC"
            " LIMIT ?",
            (owner, limit),
        ).fetchall()
        return [r for r in (self.get(row[0]) for row in rows) if r is not None]

    def for_thread(self, owner: str, thread_id: str) -> ApplicationRecord | None:
        """Return the newest application `owner` submitted in conversation `thread_id`."""
        row = self._db.conn.execute(
            "SELECT application_id FROM applications WHERE owner = ? AND thread_id = ?"
            " ORDER BY created_at DESC LIMIT 1",
            (owner, thread_id),
        ).fetchone()
        return self.get(row[0]) if row else None

    def list_by_status(self, status: str, limit: int = 100) -> list[ApplicationRecord]:
        """Return applications in `status`, oldest first (a review queue)."""
        rows = self._db.conn.execute(
            "SELECT application_id FROM applications WHERE status = ? ORDER BY created_at LIMIT ?",
            (status, limit),
        ).fetchall()
        return [r for r in (self.get(row[0]) for row in rows) if r is not None]

    def transition(
        self,
        application_id: str,
        to: str,
        *,
        expected: str,
        actor: str,
        at: datetime,
        note: str = "",
        decision: dict[str, Any] | None = None,
    ) -> ApplicationRecord:
        """Move from `expected` to `to` in one transaction; `Conflict` if the status moved on."""
        with self._db.transaction() as conn:
            current = self._load(conn, application_id)
            if current is None:
                raise NotFound(f"no application {application_id!r}", field="application_id")
            if current.status != expected:
                raise Conflict(
                    f"the application is {current.status} now (not {expected}); reload and retry"
                )
            conn.execute(
                "UPDATE applications SET status = ?, updated_at = ?,"
                " decision = COALESCE(?, decision) WHERE application_id = ?",
                (
                    to,
                    at.isoformat(),
                    json.dumps(decision) if decision is not None else None,
                    application_id,
                ),
            )
            change = StatusChange(status=to, at=at, actor=actor, note=note)
            _insert_change(conn, application_id, len(current.history), change)
            updated = self._load(conn, application_id)
        assert updated is not None
        return updated

    def count_by_status(self) -> dict[str, int]:
        """Return how many applications sit in each status."""
        rows = self._db.conn.execute(
            "SELECT status, COUNT(*) FROM applications GROUP BY status"
        ).fetchall()
        return {row[0]: int(row[1]) for row in rows}

    @staticmethod
    def _load(conn: sqlite3.Connection, application_id: str) -> ApplicationRecord | None:
        row = conn.execute(
            "SELECT * FROM applications WHERE application_id = ?", (application_id,)
        ).fetchone()
        if row is None:
            return None
        history = conn.execute(
            "SELECT status, at, actor, note FROM application_status WHERE application_id = ?"
            " ORDER BY seq",
            (application_id,),
        ).fetchall()
        data = dict(row)
        return ApplicationRecord(
            **{k: v for k, v in data.items() if k not in ("profile", "request", "decision")},
            profile=json.loads(data["profile"]),
            request=json.loads(data["request"]),
            decision=json.loads(data["decision"]) if data["decision"] else None,
            history=[StatusChange(**dict(h)) for h in history],
        )


def _insert_change(
    conn: sqlite3.Connection, application_id: str, seq: int, c: StatusChange
) -> None:
    conn.execute(
        "INSERT INTO application_status VALUES (?, ?, ?, ?, ?, ?)",
        (application_id, seq, c.status, c.at.isoformat(), c.actor, c.note),
    )
