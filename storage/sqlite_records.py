"""SQLite repositories for offers, document metadata and feedback."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from core.errors import Conflict, NotFound
from storage.records import DocumentRecord, FeedbackRecord, OfferRecord
from storage.sqlite import Database

_MIGRATION = [
    "CREATE TABLE offers (offer_id TEXT PRIMARY KEY, application_id TEXT NOT NULL, owner TEXT"
    " NOT NULL, status TEXT NOT NULL, terms TEXT NOT NULL, created_at TEXT NOT NULL)",
    "CREATE INDEX offers_application ON offers(application_id, status)",
    "CREATE TABLE documents (document_id TEXT PRIMARY KEY, owner TEXT NOT NULL, application_id"
    " TEXT, kind TEXT NOT NULL, filename TEXT NOT NULL, content_type TEXT NOT NULL, size_bytes"
    " INTEGER NOT NULL, storage_key TEXT NOT NULL, status TEXT NOT NULL, created_at TEXT NOT NULL)",
    "CREATE INDEX documents_owner ON documents(owner, created_at)",
    "CREATE TABLE feedback (feedback_id TEXT PRIMARY KEY, owner TEXT NOT NULL, rating INTEGER,"
    " thumb TEXT, thread_id TEXT, message_id TEXT, application_id TEXT, comment TEXT NOT NULL,"
    " created_at TEXT NOT NULL)",
]
_NAME = "0003_offers_documents_feedback"


def _insert(db: Database, statement: str, data: dict[str, Any]) -> None:
    """Run `statement (cols) VALUES (...)` for a record dump; datetimes become ISO text."""
    values = [v.isoformat() if isinstance(v, datetime) else v for v in data.values()]
    cols = ", ".join(data)
    marks = ", ".join("?" for _ in data)
    db.conn.execute(f"{statement} ({cols}) VALUES ({marks})", values)  # noqa: S608


class SqliteOfferRepository:
    """Offers in SQLite; a re-price supersedes the active set in one transaction."""

    def __init__(self, db: Database) -> None:
        self._db = db
        db.migrate(_NAME, _MIGRATION)

    def replace_active(self, application_id: str, offers: list[OfferRecord]) -> None:
        """Supersede the application's active offers and store `offers` as the new set."""
        with self._db.transaction() as conn:
            conn.execute(
                "UPDATE offers SET status = 'superseded' WHERE application_id = ?"
                " AND status = 'active'",
                (application_id,),
            )
            conn.executemany("INSERT INTO offers VALUES (?, ?, ?, ?, ?, ?)", _rows(offers))

    def add(self, offers: list[OfferRecord]) -> None:
        """Store `offers` beside the active ones, in one transaction."""
        with self._db.transaction() as conn:
            conn.executemany("INSERT INTO offers VALUES (?, ?, ?, ?, ?, ?)", _rows(offers))

    def list_for(self, application_id: str, include_old: bool = False) -> list[OfferRecord]:
        """Return the application's offers, oldest first (no superseded unless `include_old`)."""
        sql = "SELECT * FROM offers WHERE application_id = ?"
        if not include_old:
            sql += " AND status != 'superseded'"
        rows = self._db.conn.execute(sql + " ORDER BY created_at, rowid", (application_id,))
        return [_offer(dict(r)) for r in rows.fetchall()]

    def get(self, offer_id: str) -> OfferRecord | None:
        """Return one offer, or None."""
        row = self._db.conn.execute("SELECT * FROM offers WHERE offer_id = ?", (offer_id,))
        found = row.fetchone()
        return _offer(dict(found)) if found else None

    def accept(self, offer_id: str) -> OfferRecord:
        """Mark an active offer accepted, atomically; anything else is a `Conflict`."""
        with self._db.transaction() as conn:
            cur = conn.execute(
                "UPDATE offers SET status = 'accepted' WHERE offer_id = ? AND status = 'active'",
                (offer_id,),
            )
            if cur.rowcount != 1:
                exists = conn.execute("SELECT status FROM offers WHERE offer_id = ?", (offer_id,))
                found = exists.fetchone()
                if found is None:
                    raise NotFound(f"no offer {offer_id!r}", field="offer_id")
                raise Conflict(f"this offer is {found[0]} and can no longer be accepted")
        accepted = self.get(offer_id)
        assert accepted is not None
        return accepted


def _rows(offers: list[OfferRecord]) -> list[tuple[str, ...]]:
    return [
        (
            o.offer_id,
            o.application_id,
            o.owner,
            o.status,
            json.dumps(o.terms),
            o.created_at.isoformat(),
        )
        for o in offers
    ]


def _offer(row: dict[str, object]) -> OfferRecord:
    return OfferRecord(**{**row, "terms": json.loads(str(row["terms"]))})


class SqliteDocumentRepository:
    """Document metadata in SQLite."""

    def __init__(self, db: Database) -> None:
        self._db = db
        db.migrate(_NAME, _MIGRATION)

    def put(self, record: DocumentRecord) -> None:
        """Store or replace a document's metadata."""
        _insert(self._db, "INSERT OR REPLACE INTO documents", record.model_dump())

    def get(self, document_id: str) -> DocumentRecord | None:
        """Return one document, or None."""
        row = self._db.conn.execute(
            "SELECT * FROM documents WHERE document_id = ?", (document_id,)
        ).fetchone()
        return DocumentRecord(**dict(row)) if row else None

    def list_for(self, owner: str) -> list[DocumentRecord]:
        """Return `owner`'s documents, newest first."""
        rows = self._db.conn.execute(
            "SELECT * FROM documents WHERE owner = ? ORDER BY created_at DESC", (owner,)
        ).fetchall()
        return [DocumentRecord(**dict(r)) for r in rows]

    def delete(self, document_id: str) -> None:
        """Forget a document's metadata."""
        self._db.conn.execute("DELETE FROM documents WHERE document_id = ?", (document_id,))


class SqliteFeedbackRepository:
    """Feedback in SQLite."""

    def __init__(self, db: Database) -> None:
        self._db = db
        db.migrate(_NAME, _MIGRATION)
        db.migrate(
            "0005_feedback_versions",
            ["ALTER TABLE feedback ADD COLUMN versions TEXT NOT NULL DEFAULT '{}'"],
        )

    def add(self, record: FeedbackRecord) -> None:
        """Store one piece of feedback (versions as a JSON column)."""
        data = record.model_dump()
        data["versions"] = json.dumps(record.versions, sort_keys=True)
        _insert(self._db, "INSERT INTO feedback", data)

    def summary(self) -> dict[str, float]:
        """Return count, mean rating, thumbs up and down."""
        row = self._db.conn.execute(
            "SELECT COUNT(rating), AVG(rating), SUM(thumb = 'up'), SUM(thumb = 'down')"
            " FROM feedback"
        ).fetchone()
        return {
            "ratings": float(row[0] or 0),
            "mean_rating": float(row[1] or 0.0),
            "thumbs_up": float(row[2] or 0),
            "thumbs_down": float(row[3] or 0),
        }
