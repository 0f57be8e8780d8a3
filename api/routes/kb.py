"""Signed-in users: read a knowledge-base document, the page a chat citation links to.

Citations name a document and the version the advisor relied on, so a reader can open exactly
the text behind a reply (`?version=N`), even after the policy was updated or withdrawn.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from api.deps import ServicesDep, UserDep
from core.errors import UpstreamUnavailable

router = APIRouter(prefix="/v1/kb/documents", tags=["chat"])
DocId = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,80}$")]


class KbDocumentPublic(BaseModel):
    """One version of a policy document, with its Markdown body."""

    doc_id: str
    version: int
    title: str
    products: list[str]
    effective_date: str = Field(description="ISO date from which this version applies")
    body: str = Field(description="the document's Markdown, without its front matter")
    deleted: bool = Field(description="whether the document is withdrawn from search")
    versions: list[int] = Field(description="every stored version, oldest first")
    latest_version: int


@router.get("/{doc_id}", response_model=KbDocumentPublic, operation_id="readKbDocument")
def read_document(
    doc_id: DocId,
    services: ServicesDep,
    user: UserDep,
    version: Annotated[int | None, Query(ge=1, le=100_000)] = None,
) -> Any:
    """Read a policy document (its latest version, or `version`); 404 if unknown."""
    kb = services.knowledge_base
    if kb is None or not hasattr(kb, "get_document"):
        raise UpstreamUnavailable("the knowledge base is not available")
    doc = kb.get_document(doc_id, version)
    return KbDocumentPublic(
        doc_id=doc.doc_id,
        version=doc.version,
        title=doc.title,
        products=list(doc.products),
        effective_date=doc.effective_date,
        body=doc.body,
        deleted=doc.deleted,
        versions=list(doc.versions),
        latest_version=max(doc.versions, default=doc.version),
    )
