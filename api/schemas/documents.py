"""Bodies of the document routes."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from core.ids import ID_PATTERN

DocumentKind = Literal["proof_of_income", "identity", "other"]
ContentType = Literal["application/pdf", "image/png", "image/jpeg"]


class DocumentPublic(BaseModel):
    """An uploaded document's metadata."""

    document_id: str
    kind: DocumentKind
    filename: str
    content_type: ContentType
    size_bytes: int
    application_id: str | None
    status: Literal["pending_upload", "stored"]
    created_at: datetime


class UploadRequest(BaseModel):
    """Ask for a presigned URL to PUT a document straight to storage (AWS mode)."""

    kind: DocumentKind
    filename: str = Field(min_length=1, max_length=200)
    content_type: ContentType
    size_bytes: int = Field(gt=0, description="must not exceed the upload limit")
    application_id: str | None = Field(None, pattern=ID_PATTERN.pattern)


class UploadTicket(BaseModel):
    """Where to PUT the bytes, then call /complete."""

    document: DocumentPublic
    upload_url: str
    method: Literal["PUT"] = "PUT"
    headers: dict[str, str]
    expires_in: int
