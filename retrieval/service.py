"""The knowledge base the agent calls: search with citations, and documents by version.

The composition root (`api/composition.py`) builds it once from settings: the document store
(SQLite or DynamoDB), the index (embedded or OpenSearch) and the encoder come in ready-made.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, Field

from core.errors import NotFound, ValidationFailed
from retrieval.embeddings import EmbeddingCache, Encoder
from retrieval.index import Hit, SearchIndex, SearchMode
from retrieval.query import ProcessedQuery, process_query
from retrieval.ranking import maximal_marginal_relevance
from storage.kb_documents import KbDocumentStore

MAX_K = 20
FUSION_POOL = 20  # fused candidates MMR chooses from
MMR_LAMBDA = 0.6  # relevance vs novelty; tuned on the labelled question set


def spread_documents(hits: list[Hit], max_per_doc: int) -> list[Hit]:
    """Reorder so no document fills more than `max_per_doc` of the leading places.

    Extra passages of a document are kept, after the others: the first `k` passages then
    cover as many documents as possible, and `get_document` gives the full text of any one.
    """
    counts: dict[str, int] = {}
    first: list[Hit] = []
    rest: list[Hit] = []
    for hit in hits:
        counts[hit.chunk.doc_id] = counts.get(hit.chunk.doc_id, 0) + 1
        (first if counts[hit.chunk.doc_id] <= max_per_doc else rest).append(hit)
    return first + rest


class Passage(BaseModel):
    """A retrieved passage with everything a citation needs."""

    doc_id: str
    version: int
    title: str
    section: str
    text: str
    score: float
    url: str = Field(description='"/kb/<doc_id>#<section-slug>"; add ?version=N for old ones')
    products: list[str] = Field(default_factory=list)


class Document(BaseModel):
    """One stored version of a policy document."""

    doc_id: str
    version: int
    title: str
    products: list[str]
    effective_date: str
    body: str
    deleted: bool = False
    versions: list[int] = Field(default_factory=list, description="all stored versions")
    url: str


@dataclass
class KnowledgeBase:
    """Search and document access over one store and one index."""

    store: KbDocumentStore
    index: SearchIndex
    encoder: Encoder
    cache: EmbeddingCache
    index_dir: Path | None = None
    default_mode: SearchMode = "hybrid"
    max_per_doc: int = 1
    _snapshot: str = field(default="", init=False)

    @property
    def snapshot(self) -> str:
        """Short id of the indexed document versions, recorded with each reply."""
        versions = self.index.indexed_versions()
        key = ",".join(f"{d}@{v}" for d, v in sorted(versions.items()))
        return "kb-" + hashlib.sha256(key.encode()).hexdigest()[:12]

    def search(
        self,
        query: str,
        *,
        history: list[str] | None = None,
        product: str | None = None,
        k: int = 5,
        mode: SearchMode | None = None,
    ) -> list[Passage]:
        """Return up to `k` passages for `query`, best first, de-duplicated.

        `history` holds earlier user messages (oldest first) used to make a follow-up
        standalone; `product` restricts results to documents tagged with it (detected from
        the query when omitted). Raises `ValidationFailed` for an empty or huge query.
        """
        if not 1 <= k <= MAX_K:
            raise ValidationFailed(f"k must be between 1 and {MAX_K}", field="k")
        processed = process_query(query, history=history, product=product)
        return self.search_processed(processed, k=k, mode=mode or self.default_mode)

    def search_processed(
        self, processed: ProcessedQuery, *, k: int, mode: SearchMode
    ) -> list[Passage]:
        """Run retrieval for an already processed query (the benchmark calls this)."""
        vector = None
        if mode != "lexical":
            vector = self.encoder.encode_query(processed.expanded)
        pool = FUSION_POOL if mode == "hybrid" else k
        hits = self.index.search(
            processed.words, vector, k=pool, product=processed.product, mode=mode
        )
        if mode == "hybrid" and hits:
            vectors = self.index.vectors_for([h.chunk.chunk_id for h in hits])
            picked = maximal_marginal_relevance(
                [(i, h.score) for i, h in enumerate(hits)], vectors, k=len(hits), lambda_=MMR_LAMBDA
            )
            hits = spread_documents([hits[i] for i, _ in picked], self.max_per_doc)
        return [
            Passage(
                doc_id=h.chunk.doc_id,
                version=h.chunk.version,
                title=h.chunk.title,
                section=h.chunk.section,
                text=h.chunk.text,
                score=round(h.score, 6),
                url=f"/kb/{h.chunk.doc_id}#{h.chunk.slug}",
                products=list(h.chunk.products),
            )
            for h in hits[:k]
        ]

    def get_document(self, doc_id: str, version: int | None = None) -> Document:
        """Return a document version (latest when None); raise `NotFound` for unknown ids."""
        if not doc_id or len(doc_id) > 100:
            raise NotFound(f"no knowledge-base document {doc_id!r}", field="doc_id")
        record = self.store.get(doc_id, version)
        if version is None and record.deleted:
            raise NotFound(f"document {doc_id!r} was withdrawn", field="doc_id")
        suffix = "" if version is None else f"?version={record.version}"
        return Document(
            doc_id=record.doc_id,
            version=record.version,
            title=record.title,
            products=list(record.products),
            effective_date=record.effective_date,
            body=record.body,
            deleted=record.deleted,
            versions=self.store.versions(doc_id),
            url=f"/kb/{record.doc_id}{suffix}",
        )
