"""Shared fixtures: a deterministic hashing encoder and small knowledge bases."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pytest

from retrieval.embeddings import EmbeddingCache
from retrieval.index_embedded import EmbeddedIndex
from retrieval.lexical import analyse
from retrieval.service import KnowledgeBase
from storage.kb_documents_sqlite import SqliteKbDocumentStore


class HashingEncoder:
    """Bag-of-stems vectors: texts sharing words are close. Counts calls to prove caching."""

    dimension = 64
    model_id = "test-hashing-v1"

    def __init__(self) -> None:
        self.encoded: list[str] = []
        self.fail_on: str | None = None

    def encode(self, texts: list[str], batch_size: int = 16) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            if self.fail_on and self.fail_on in text:
                raise RuntimeError("encoder crashed")
            self.encoded.append(text)
            for term in analyse(text):
                slot = int(hashlib.md5(term.encode()).hexdigest(), 16) % self.dimension
                out[row, slot] += 1.0
            norm = np.linalg.norm(out[row])
            out[row] = out[row] / norm if norm else out[row]
        return out

    def encode_query(self, text: str) -> np.ndarray:
        vector: np.ndarray = self.encode([text])[0]
        return vector


def doc_md(
    doc_id: str,
    body: str,
    *,
    version: int = 1,
    products: str = "[car, home]",
    title: str | None = None,
) -> str:
    return (
        f"---\nid: {doc_id}\ntitle: {title or doc_id.replace('-', ' ').title()}\n"
        f"products: {products}\neffective_date: 2026-11-01\nversion: {version}\n---\n{body}\n"
    )


LATE = doc_md(
    "late-fees",
    "# Late fees\n\n## Grace period\nFive days of grace after the due "
    "date.\n\n## Late fee\nA late fee is charged on each missed instalment.",
)
PREPAY = doc_md(
    "prepayment",
    "# Prepayment\n\n## Charges\nNo prepayment charge on home loans; "
    "car loans pay a small charge for paying off early.",
    products="[car, home]",
)
GOLD = doc_md(
    "gold-valuation",
    "# Gold\n\n## Purity\nGold jewellery purity is tested at the branch before the loan.",
    products="[gold]",
)


@pytest.fixture
def encoder() -> HashingEncoder:
    return HashingEncoder()


@pytest.fixture
def make_kb(tmp_path: Path, encoder: HashingEncoder):
    def build(var: Path | None = None) -> KnowledgeBase:
        var = var or tmp_path / "var"
        store = SqliteKbDocumentStore(var / "kb.sqlite")
        folder = var / "kb_index"
        index = (
            EmbeddedIndex.load(folder, encoder.dimension)
            if EmbeddedIndex.exists(folder)
            else EmbeddedIndex(folder, encoder.dimension)
        )
        cache = EmbeddingCache(var / "emb.npz", encoder.dimension, model_id=encoder.model_id)
        return KnowledgeBase(store=store, index=index, encoder=encoder, cache=cache)

    return build


@pytest.fixture
def kb(make_kb) -> KnowledgeBase:
    from retrieval.updates import add_document

    base: KnowledgeBase = make_kb()
    for text in (LATE, PREPAY, GOLD):
        add_document(base, text)
    return base


def words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text.lower()))
