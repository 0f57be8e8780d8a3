"""Knowledge-base document records and the store Protocol every backend implements.

A document is stored once per version: an update adds a row and never overwrites, so a
citation given yesterday (doc id + version) can still be opened today.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class KbDocument:
    """One version of one policy document, as stored."""

    doc_id: str
    version: int
    title: str
    products: tuple[str, ...]
    effective_date: str
    body: str
    content_hash: str
    deleted: bool = False
    extra: dict[str, str] = field(default_factory=dict)


class KbDocumentStore(Protocol):
    """Versioned document storage; backends: SQLite (embedded) and DynamoDB."""

    def put(self, doc: KbDocument) -> None:
        """Store a new version; raise `Conflict` if (doc_id, version) already exists."""
        ...

    def get(self, doc_id: str, version: int | None = None) -> KbDocument:
        """Return one version (the latest when `version` is None); raise `NotFound`."""
        ...

    def versions(self, doc_id: str) -> list[int]:
        """Return the stored versions of `doc_id`, oldest first (empty when unknown)."""
        ...

    def latest_all(self) -> list[KbDocument]:
        """Return the latest version of every document, deleted ones included, by doc_id."""
        ...

    def remove_version(self, doc_id: str, version: int) -> None:
        """Drop one version (used to roll back an update whose indexing failed)."""
        ...
