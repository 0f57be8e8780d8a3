"""Knowledge-base updates: add, update, delete, reindex and corpus sync, with versioning.

Order of work makes failures safe: parse and embed first (nothing changes if they fail),
then store the new version, then swap the index; if the index swap fails the new version is
removed again, so the old version stays both stored and served. Old versions are never
deleted, so a citation already given can still be opened.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from core.errors import Conflict, NotFound, ValidationFailed
from retrieval.chunking import Chunk, chunk_document
from retrieval.documents import ParsedDocument, parse_markdown
from retrieval.index import DocumentChunks
from retrieval.service import KnowledgeBase
from storage.kb_documents import KbDocument

CORPUS_DIR = Path(__file__).with_name("corpus")
Action = Literal["added", "updated", "unchanged", "deleted"]


@dataclass(frozen=True)
class UpdateResult:
    """What one update did."""

    doc_id: str
    version: int
    action: Action
    chunks: int = 0


def _prepare(kb: KnowledgeBase, record: KbDocument) -> DocumentChunks:
    chunks = chunk_document(record)
    if not chunks:
        raise ValidationFailed(f"{record.doc_id}: the document has no text to index", field="body")
    return DocumentChunks(record.doc_id, chunks, kb.cache.vectors_for(chunks, kb.encoder))


def _publish(
    kb: KnowledgeBase, parsed: ParsedDocument, latest: int, action: Action
) -> UpdateResult:
    record = parsed.to_record(max(parsed.version, latest + 1))
    prepared = _prepare(kb, record)
    kb.store.put(record)
    try:
        kb.index.apply([prepared], [])
    except Exception:
        kb.store.remove_version(record.doc_id, record.version)
        raise
    kb.cache.save()
    return UpdateResult(record.doc_id, record.version, action, len(prepared.chunks))


def add_document(kb: KnowledgeBase, text: str, *, source: str = "<text>") -> UpdateResult:
    """Add a new document; raise `Conflict` if the id exists (use update)."""
    parsed = parse_markdown(text, source=source)
    versions = kb.store.versions(parsed.doc_id)
    if versions and not kb.store.get(parsed.doc_id).deleted:
        raise Conflict(f"document {parsed.doc_id!r} already exists; use update", field="id")
    return _publish(kb, parsed, max(versions, default=0), "added")


def update_document(kb: KnowledgeBase, text: str, *, source: str = "<text>") -> UpdateResult:
    """Store a new version of an existing document (unchanged text is a no-op)."""
    parsed = parse_markdown(text, source=source)
    if not kb.store.versions(parsed.doc_id):
        raise NotFound(f"no knowledge-base document {parsed.doc_id!r}; use add", field="id")
    latest = kb.store.get(parsed.doc_id)
    if latest.content_hash == parsed.content_hash and not latest.deleted:
        return UpdateResult(latest.doc_id, latest.version, "unchanged")
    return _publish(kb, parsed, latest.version, "updated")


def delete_document(kb: KnowledgeBase, doc_id: str) -> UpdateResult:
    """Withdraw a document: a tombstone version hides it; old versions stay citable."""
    latest = kb.store.get(doc_id)
    if latest.deleted:
        raise NotFound(f"document {doc_id!r} is already withdrawn", field="doc_id")
    tombstone = replace(latest, version=latest.version + 1, deleted=True)
    kb.store.put(tombstone)
    try:
        kb.index.apply([], [doc_id])
    except Exception:
        kb.store.remove_version(doc_id, tombstone.version)
        raise
    return UpdateResult(doc_id, tombstone.version, "deleted")


def reindex(kb: KnowledgeBase, *, full: bool = False) -> list[UpdateResult]:
    """Bring the index in line with the store; only changed documents are re-chunked.

    With `full=True` every document is re-chunked, but vectors still come from the
    embedding cache unless the chunk text changed.
    """
    indexed = kb.index.indexed_versions()
    current = [d for d in kb.store.latest_all() if not d.deleted]
    upserts = [_prepare(kb, d) for d in current if full or indexed.get(d.doc_id) != d.version]
    live = {d.doc_id for d in current}
    deletes = [doc_id for doc_id in indexed if doc_id not in live]
    if upserts or deletes:
        kb.index.apply(upserts, deletes)
    in_use: set[str] = set()
    for d in current:
        in_use.update(c.embed_key for c in chunk_document(d))
    kb.cache.save(keep=in_use)
    results = [
        UpdateResult(u.doc_id, u.chunks[0].version, "updated", len(u.chunks)) for u in upserts
    ]
    results += [UpdateResult(d, indexed[d], "deleted") for d in deletes]
    return results


def corpus_documents(corpus_dir: Path = CORPUS_DIR) -> list[ParsedDocument]:
    """Return the hand-written corpus plus the documents generated from the lending policy."""
    from retrieval.product_sheets import generated_documents

    docs = [
        parse_markdown(p.read_text(encoding="utf-8"), source=str(p))
        for p in sorted(corpus_dir.glob("*.md"))
    ]
    docs.extend(generated_documents())
    ids = [d.doc_id for d in docs]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ValidationFailed(f"duplicate document ids in the corpus: {dupes}", field="id")
    return docs


def sync_corpus(kb: KnowledgeBase, corpus_dir: Path = CORPUS_DIR) -> list[UpdateResult]:
    """Make the store match the shipped corpus and policy, then reindex what changed.

    New or changed files become new versions (tagged `origin: corpus`); corpus documents
    whose file is gone (or whose product left the policy) are withdrawn with a tombstone.
    Documents added with `kb add` are left alone. All or nothing: on failure every version
    written here is removed again.
    """
    written: list[KbDocument] = []
    results: list[UpdateResult] = []
    try:
        shipped = corpus_documents(corpus_dir)
        for parsed in shipped:
            versions = kb.store.versions(parsed.doc_id)
            latest = kb.store.get(parsed.doc_id) if versions else None
            if latest is not None and latest.content_hash == parsed.content_hash:
                continue  # unchanged (or deliberately withdrawn with this content)
            record = parsed.to_record(max(parsed.version, max(versions, default=0) + 1))
            record = replace(record, extra={**record.extra, "origin": "corpus"})
            kb.store.put(record)
            written.append(record)
            results.append(
                UpdateResult(record.doc_id, record.version, "updated" if latest else "added")
            )
        names = {d.doc_id for d in shipped}
        for doc in kb.store.latest_all():
            if doc.extra.get("origin") == "corpus" and not doc.deleted and doc.doc_id not in names:
                tombstone = replace(doc, version=doc.version + 1, deleted=True)
                kb.store.put(tombstone)
                written.append(tombstone)
                results.append(UpdateResult(doc.doc_id, tombstone.version, "deleted"))
        reindex(kb)
    except Exception:
        for record in written:
            kb.store.remove_version(record.doc_id, record.version)
        raise
    return results


def chunks_of(kb: KnowledgeBase) -> list[Chunk]:
    """Return the chunks of every live document (for evaluation and diagnostics)."""
    return [c for d in kb.store.latest_all() if not d.deleted for c in chunk_document(d)]
