"""Staff only: knowledge-base administration (list, add, update, withdraw documents).

Documents are Markdown with a front-matter header (see retrieval/documents.py); every change
is a new version, and old versions stay citable.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, status
from pydantic import BaseModel, Field

from api.deps import ServicesDep, StaffDep
from core.errors import UpstreamUnavailable

router = APIRouter(prefix="/v1/staff/kb/documents", tags=["staff"])
DocId = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,80}$")]


class KbDocumentSummary(BaseModel):
    """The latest version of one knowledge-base document."""

    doc_id: str
    version: int
    title: str
    products: list[str]
    effective_date: str


class KbDocumentText(BaseModel):
    """A document as Markdown with its front matter (id, title, products, effective date)."""

    text: str = Field(min_length=10, max_length=60_000)


class KbUpdateResult(BaseModel):
    """What a change did."""

    doc_id: str
    version: int
    action: Literal["added", "updated", "unchanged", "deleted"]
    chunks: int = 0


def _kb(services: ServicesDep) -> Any:
    kb = services.knowledge_base
    if kb is None or not hasattr(kb, "store"):
        raise UpstreamUnavailable("the knowledge base is not available")
    return kb


def _result(result: Any) -> KbUpdateResult:
    return KbUpdateResult(
        doc_id=result.doc_id, version=result.version, action=result.action, chunks=result.chunks
    )


@router.get("", response_model=list[KbDocumentSummary], operation_id="listKbDocuments")
def list_documents(services: ServicesDep, staff: StaffDep) -> Any:
    """List the current documents (withdrawn ones are hidden)."""
    return [
        KbDocumentSummary(
            doc_id=d.doc_id,
            version=d.version,
            title=d.title,
            products=list(d.products),
            effective_date=d.effective_date,
        )
        for d in _kb(services).store.latest_all()
        if not d.deleted
    ]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=KbUpdateResult,
    operation_id="addKbDocument",
)
def add(body: KbDocumentText, services: ServicesDep, staff: StaffDep) -> Any:
    """Add a new document (409 if its id exists: update it instead)."""
    from retrieval.updates import add_document

    return _result(add_document(_kb(services), body.text, source="api"))


@router.put("/{doc_id}", response_model=KbUpdateResult, operation_id="updateKbDocument")
def update(doc_id: DocId, body: KbDocumentText, services: ServicesDep, staff: StaffDep) -> Any:
    """Store a new version of a document (its front matter must name the same id)."""
    from core.errors import ValidationFailed
    from retrieval.documents import parse_markdown
    from retrieval.updates import update_document

    if parse_markdown(body.text, source="api").doc_id != doc_id:
        raise ValidationFailed("the document's id does not match the URL", field="text")
    return _result(update_document(_kb(services), body.text, source="api"))


@router.delete("/{doc_id}", response_model=KbUpdateResult, operation_id="withdrawKbDocument")
def withdraw(doc_id: DocId, services: ServicesDep, staff: StaffDep) -> Any:
    """Withdraw a document from search; its versions stay citable."""
    from retrieval.updates import delete_document

    return _result(delete_document(_kb(services), doc_id))
