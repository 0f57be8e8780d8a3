"""What the repositories store: users, applications with history, offers, documents, feedback.

Domain payloads (applicant profile, loan request, decision, offer terms) are kept as
JSON objects, so the store does not change each time the lending schemas grow a field.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, Field

Role = Literal["applicant", "staff"]
OfferStatus = Literal["active", "superseded", "accepted"]
DocumentKind = Literal["proof_of_income", "identity", "other"]
DocumentStatus = Literal["pending_upload", "stored"]


class ApplicationStatus(StrEnum):
    """Where an application stands: the one status vocabulary of the product.

    Which status may follow which is decided by the application service's transition table
    (applications/lifecycle.py); the store only refuses a change made from a stale status.
    """

    RECEIVED = "received"
    UNDER_REVIEW = "under_review"
    APPROVED = "approved"
    DECLINED = "declined"
    OFFER_ACCEPTED = "offer_accepted"
    WITHDRAWN = "withdrawn"


class UserRecord(BaseModel):
    """An account of the local identity provider (Cognito users are never stored)."""

    user_id: str
    email: str
    password_hash: str
    role: Role = "applicant"
    created_at: datetime


class StatusChange(BaseModel):
    """One step of an application's status history."""

    status: ApplicationStatus
    at: datetime
    actor: str = Field(description="user id of whoever caused the change, or 'system'")
    note: str = ""


class ApplicationRecord(BaseModel):
    """A submitted loan application and where it stands."""

    application_id: str
    owner: str
    status: ApplicationStatus
    profile: dict[str, Any]
    request: dict[str, Any]
    decision: dict[str, Any] | None = None
    thread_id: str | None = None
    created_at: datetime
    updated_at: datetime
    history: list[StatusChange] = Field(default_factory=list)


class OfferRecord(BaseModel):
    """One priced offer made on an application; re-pricing supersedes the earlier set."""

    offer_id: str
    application_id: str
    owner: str
    status: OfferStatus = "active"
    terms: dict[str, Any]
    created_at: datetime


class DocumentRecord(BaseModel):
    """An uploaded supporting document; the bytes live in the blob store under `storage_key`."""

    document_id: str
    owner: str
    application_id: str | None = None
    kind: DocumentKind
    filename: str
    content_type: str
    size_bytes: int
    storage_key: str
    status: DocumentStatus = "stored"
    created_at: datetime


class FeedbackRecord(BaseModel):
    """A rating of the whole process (1..5) or a thumb on one advisor message."""

    feedback_id: str
    owner: str
    rating: int | None = None
    thumb: Literal["up", "down"] | None = None
    thread_id: str | None = None
    message_id: str | None = None
    application_id: str | None = None
    comment: str = ""
    versions: dict[str, str] = Field(
        default_factory=dict,
        description="model, prompt, variant and policy versions behind a rated reply",
    )
    created_at: datetime
