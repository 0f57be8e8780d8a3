"""The repository Protocols the API and tools depend on; backends implement them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from storage.events import EventRepository
from storage.feedback_reviews import FeedbackReviewRepository
from storage.records import (
    ApplicationRecord,
    DocumentRecord,
    FeedbackRecord,
    OfferRecord,
    UserRecord,
)
from storage.threads import ThreadRepository


class UserRepository(Protocol):
    """Accounts of the local identity provider."""

    def create(self, user: UserRecord) -> None:
        """Store a new user; raises `Conflict` if the email is taken."""
        ...

    def get_by_email(self, email: str) -> UserRecord | None:
        """Return the user with this (lower-cased) email, or None."""
        ...

    def set_role(self, user_id: str, role: str) -> None:
        """Change a user's role (staff seeding)."""
        ...


class ApplicationRepository(Protocol):
    """Applications, their status history and the idempotency keys that created them."""

    def submit(
        self, record: ApplicationRecord, idempotency_key: str | None, request_hash: str
    ) -> tuple[ApplicationRecord, bool]:
        """Store `record` unless `idempotency_key` was used before by the same owner.

        Returns (the stored application, whether it was created now). Reusing a key with a
        different request body raises `ValidationFailed`. Record and key are written atomically.
        """
        ...

    def get(self, application_id: str) -> ApplicationRecord | None:
        """Return the application with its history, or None."""
        ...

    def list_for(self, owner: str, limit: int = 50) -> list[ApplicationRecord]:
        """Return `owner`'s applications, newest first."""
        ...

    def for_thread(self, owner: str, thread_id: str) -> ApplicationRecord | None:
        """Return the newest application `owner` submitted in conversation `thread_id`.

        Asked on every chat turn, so it reads one application, not the owner's history.
        """
        ...

    def list_by_status(self, status: str, limit: int = 100) -> list[ApplicationRecord]:
        """Return applications in `status`, oldest first (a review queue)."""
        ...

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
        """Move from status `expected` to `to`, atomically.

        The caller (the application service) decides whether the move is legal; the store
        refuses with `Conflict` when the application is no longer in `expected`.
        """
        ...

    def count_by_status(self) -> dict[str, int]:
        """Return how many applications sit in each status."""
        ...


class OfferRepository(Protocol):
    """Offers made on applications."""

    def replace_active(self, application_id: str, offers: list[OfferRecord]) -> None:
        """Supersede the application's active offers and store `offers` as the new set."""
        ...

    def add(self, offers: list[OfferRecord]) -> None:
        """Store `offers` beside the active ones (a counter-offer adds to the set)."""
        ...

    def list_for(self, application_id: str, include_old: bool = False) -> list[OfferRecord]:
        """Return the application's offers, oldest first (active only unless `include_old`)."""
        ...

    def get(self, offer_id: str) -> OfferRecord | None:
        """Return one offer, or None."""
        ...

    def accept(self, offer_id: str) -> OfferRecord:
        """Mark an active offer accepted, atomically; anything else is a `Conflict`."""
        ...


class DocumentRepository(Protocol):
    """Metadata of uploaded documents."""

    def put(self, record: DocumentRecord) -> None:
        """Store or replace a document's metadata."""
        ...

    def get(self, document_id: str) -> DocumentRecord | None:
        """Return one document, or None."""
        ...

    def list_for(self, owner: str) -> list[DocumentRecord]:
        """Return `owner`'s documents, newest first."""
        ...

    def delete(self, document_id: str) -> None:
        """Forget a document's metadata."""
        ...


class FeedbackRepository(Protocol):
    """Ratings and thumbs."""

    def add(self, record: FeedbackRecord) -> None:
        """Store one piece of feedback."""
        ...

    def summary(self) -> dict[str, float]:
        """Return count, mean rating, thumbs up and down."""
        ...


@dataclass
class Repositories:
    """Every repository the service uses, built once from settings."""

    users: UserRepository
    threads: ThreadRepository
    applications: ApplicationRepository
    offers: OfferRepository
    documents: DocumentRepository
    feedback: FeedbackRepository
    feedback_reviews: FeedbackReviewRepository
    events: EventRepository
    ping: Any  # zero-argument callable raising when the store does not answer
    close: Any  # zero-argument callable releasing connections
