"""Supporting documents: upload (decoded in full, not trusted from the header), list, delete.

Local mode stores the bytes under var/documents; AWS mode can also hand out a presigned S3
PUT URL so large files never pass through the API, checked on /complete.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, Response, UploadFile, status
from starlette.concurrency import run_in_threadpool

from api.deps import ServicesDep, UserDep
from api.document_content import inspect_document
from api.schemas.documents import DocumentKind, DocumentPublic, UploadRequest, UploadTicket
from api.security import Principal
from core.errors import NotFound, ValidationFailed
from core.ids import ID_PATTERN, new_id
from storage.records import DocumentRecord

router = APIRouter(prefix="/v1/documents", tags=["documents"])
DocumentId = Annotated[str, Path(pattern=ID_PATTERN.pattern)]
PRESIGN_SECONDS = 900


def clean_filename(name: str | None) -> str:
    """Keep a display name only: no folders, no control characters, at most 200 characters."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip() or "document"
    return base[:200]


def _owned(services: ServicesDep, user: Principal, document_id: str) -> DocumentRecord:
    record = services.repos.documents.get(document_id)
    if record is None or record.owner != user.user_id:
        raise NotFound(f"no document {document_id!r}", field="document_id")
    return record


def _check_application(services: ServicesDep, user: Principal, application_id: str | None) -> None:
    if application_id is None:
        return
    app = services.repos.applications.get(application_id)
    if app is None or app.owner != user.user_id:
        raise NotFound(f"no application {application_id!r}", field="application_id")


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=DocumentPublic,
    operation_id="uploadDocument",
    responses={413: {"description": "file too large"}},
)
async def upload_document(
    services: ServicesDep,
    user: UserDep,
    file: Annotated[UploadFile, File(description="PDF, PNG or JPEG")],
    kind: Annotated[DocumentKind, Form()],
    application_id: Annotated[str | None, Form(pattern=ID_PATTERN.pattern)] = None,
) -> Any:
    """Upload a proof of income or identity document; its type is read from its bytes."""
    await run_in_threadpool(_check_application, services, user, application_id)
    limit = services.settings.max_upload_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise ValidationFailed(f"files are limited to {limit} bytes", field="file")
    # Decoding a few MiB of image or PDF is CPU work: off the event loop.
    content_type, data = await run_in_threadpool(inspect_document, data)
    document_id = new_id("doc")
    key = f"{user.user_id}/{document_id}"
    await run_in_threadpool(services.blobs.put, key, data, content_type)
    record = DocumentRecord(
        document_id=document_id,
        owner=user.user_id,
        application_id=application_id,
        kind=kind,
        filename=clean_filename(file.filename),
        content_type=content_type,
        size_bytes=len(data),
        storage_key=key,
        created_at=services.clock.now(),
    )
    await run_in_threadpool(services.repos.documents.put, record)
    return DocumentPublic.model_validate(record.model_dump())


@router.post(
    "/uploads",
    status_code=status.HTTP_201_CREATED,
    response_model=UploadTicket,
    operation_id="createDocumentUpload",
    responses={404: {"description": "presigned uploads are not available in local mode"}},
)
def create_upload(body: UploadRequest, services: ServicesDep, user: UserDep) -> Any:
    """Get a presigned URL to PUT the file to storage directly, then call /complete."""
    if body.size_bytes > services.settings.max_upload_bytes:
        raise ValidationFailed(
            f"files are limited to {services.settings.max_upload_bytes} bytes", field="size_bytes"
        )
    _check_application(services, user, body.application_id)
    document_id = new_id("doc")
    key = f"{user.user_id}/{document_id}"
    url = services.blobs.presign_put(key, body.content_type, PRESIGN_SECONDS)
    if url is None:
        raise NotFound("presigned uploads exist in AWS mode; use POST /v1/documents")
    record = DocumentRecord(
        document_id=document_id,
        owner=user.user_id,
        application_id=body.application_id,
        kind=body.kind,
        filename=clean_filename(body.filename),
        content_type=body.content_type,
        size_bytes=body.size_bytes,
        storage_key=key,
        status="pending_upload",
        created_at=services.clock.now(),
    )
    services.repos.documents.put(record)
    return UploadTicket(
        document=DocumentPublic.model_validate(record.model_dump()),
        upload_url=url,
        headers={"Content-Type": body.content_type},
        expires_in=PRESIGN_SECONDS,
    )


@router.post(
    "/{document_id}/complete", response_model=DocumentPublic, operation_id="completeDocumentUpload"
)
def complete_upload(document_id: DocumentId, services: ServicesDep, user: UserDep) -> Any:
    """Check the uploaded bytes (decoded in full, size limit) and mark the document stored."""
    record = _owned(services, user, document_id)
    if record.status == "stored":
        return DocumentPublic.model_validate(record.model_dump())
    limit = services.settings.max_upload_bytes
    found = services.blobs.head(record.storage_key, limit + 1)
    if found is None:
        raise ValidationFailed("nothing was uploaded to the URL yet", field="file")
    data, size = found
    try:
        if size > limit:
            raise ValidationFailed(
                "only PDF, PNG and JPEG files within the size limit are accepted", field="file"
            )
        content_type, clean = inspect_document(data)
    except ValidationFailed:
        services.blobs.delete(record.storage_key)
        services.repos.documents.delete(document_id)
        raise
    if clean != data:  # a re-encoded image replaces what the browser uploaded
        services.blobs.put(record.storage_key, clean, content_type)
    stored = record.model_copy(
        update={"status": "stored", "content_type": content_type, "size_bytes": len(clean)}
    )
    services.repos.documents.put(stored)
    return DocumentPublic.model_validate(stored.model_dump())


@router.get("", response_model=list[DocumentPublic], operation_id="listDocuments")
def list_documents(services: ServicesDep, user: UserDep) -> Any:
    """List the caller's documents, newest first."""
    return [
        DocumentPublic.model_validate(r.model_dump())
        for r in services.repos.documents.list_for(user.user_id)
    ]


@router.get("/{document_id}", response_model=DocumentPublic, operation_id="getDocument")
def get_document(document_id: DocumentId, services: ServicesDep, user: UserDep) -> Any:
    """Read one document's metadata."""
    return DocumentPublic.model_validate(_owned(services, user, document_id).model_dump())


@router.delete(
    "/{document_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    operation_id="deleteDocument",
)
def delete_document(document_id: DocumentId, services: ServicesDep, user: UserDep) -> None:
    """Delete a document and its bytes."""
    record = _owned(services, user, document_id)
    services.blobs.delete(record.storage_key)
    services.repos.documents.delete(document_id)
