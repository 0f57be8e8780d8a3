"""SQLite backend of the knowledge-base document store (the embedded default)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from core.errors import Conflict, NotFound
from storage.kb_documents import KbDocument
from storage.sqlite import connect

_SCHEMA = """
CREATE TABLE IF NOT EXISTS kb_documents (
    doc_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    products TEXT NOT NULL,
    effective_date TEXT NOT NULL,
    body TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
    extra TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (doc_id, version)
)
"""


def _row_to_doc(row: sqlite3.Row) -> KbDocument:
    return KbDocument(
        doc_id=row["doc_id"],
        version=int(row["version"]),
        title=row["title"],
        products=tuple(json.loads(row["products"])),
        effective_date=row["effective_date"],
        body=row["body"],
        content_hash=row["content_hash"],
        deleted=bool(row["deleted"]),
        extra=dict(json.loads(row["extra"])),
    )


class SqliteKbDocumentStore:
    """Versioned documents in one SQLite table keyed by (doc_id, version)."""

    def __init__(self, path: Path) -> None:
        self._conn = connect(path)
        self._conn.execute(_SCHEMA)

    def put(self, doc: KbDocument) -> None:
        """Insert a new version; an existing (doc_id, version) is a `Conflict`."""
        try:
            self._conn.execute(
                "INSERT INTO kb_documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    doc.doc_id,
                    doc.version,
                    doc.title,
                    json.dumps(list(doc.products)),
                    doc.effective_date,
                    doc.body,
                    doc.content_hash,
                    int(doc.deleted),
                    json.dumps(doc.extra),
                ),
            )
        except sqlite3.IntegrityError as exc:
            raise Conflict(
                f"document {doc.doc_id!r} version {doc.version} already exists", field="version"
            ) from exc

    def get(self, doc_id: str, version: int | None = None) -> KbDocument:
        """Return the requested version, or the latest one."""
        if version is None:
            row = self._conn.execute(
                "SELECT * FROM kb_documents WHERE doc_id = ? ORDER BY version DESC LIMIT 1",
                (doc_id,),
            ).fetchone()
        else:
            row = self._conn.execute(
                "SELECT * FROM kb_documents WHERE doc_id = ? AND version = ?", (doc_id, version)
            ).fetchone()
        if row is None:
            suffix = "" if version is None else f" version {version}"
            raise NotFound(f"no knowledge-base document {doc_id!r}{suffix}", field="doc_id")
        return _row_to_doc(row)

    def versions(self, doc_id: str) -> list[int]:
        """Return stored versions, oldest first."""
        rows = self._conn.execute(
            "SELECT version FROM kb_documents WHERE doc_id = ? ORDER BY version", (doc_id,)
        ).fetchall()
        return [int(r["version"]) for r in rows]

    def latest_all(self) -> list[KbDocument]:
        """Return the newest version of each document."""
        rows = self._conn.execute(
            "SELECT d.* FROM kb_documents d JOIN (SELECT doc_id, MAX(version) AS v "
            "FROM kb_documents GROUP BY doc_id) m ON d.doc_id = m.doc_id AND d.version = m.v "
            "ORDER BY d.doc_id"
        ).fetchall()
        return [_row_to_doc(r) for r in rows]

    def remove_version(self, doc_id: str, version: int) -> None:
        """Delete one version row (rollback of a failed update)."""
        self._conn.execute(
            "DELETE FROM kb_documents WHERE doc_id = ? AND version = ?", (doc_id, version)
        )

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()
