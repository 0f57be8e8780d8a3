"""The OpenSearch index's lexical path against osmem-server (in-memory, no k-NN).

The k-NN and hybrid request bodies are checked by unit tests; here the mapping, bulk
indexing, versioned replacement, deletion and BM25 search run against a real server.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from retrieval.chunking import chunk_document
from retrieval.documents import parse_markdown
from retrieval.index import DocumentChunks
from retrieval.index_opensearch import OpenSearchIndex
from tests.unit.retrieval.conftest import GOLD, LATE, PREPAY, HashingEncoder

pytestmark = pytest.mark.integration
osmem = pytest.importorskip("osmem_server")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with osmem.OsmemServer.start() as srv:
        yield srv.url


@pytest.fixture
def index(server: str, request) -> OpenSearchIndex:
    from opensearchpy import OpenSearch

    name = "kb-" + request.node.name.lower().replace("_", "-")[-40:]
    idx = OpenSearchIndex(OpenSearch(hosts=[server]), name, HashingEncoder.dimension)
    idx.ensure()
    return idx


def prepared(text: str, version: int = 1) -> DocumentChunks:
    chunks = chunk_document(parse_markdown(text).to_record(version))
    vectors = HashingEncoder().encode([c.index_text for c in chunks])
    return DocumentChunks(chunks[0].doc_id, chunks, vectors)


def test_lexical_search_with_product_filter(index: OpenSearchIndex) -> None:
    index.apply([prepared(LATE), prepared(PREPAY), prepared(GOLD)], [])
    hits = index.search("late fee missed instalment", None, k=3, product=None, mode="lexical")
    assert hits[0].chunk.doc_id == "late-fees" and hits[0].chunk.section == "Late fee"
    gold = index.search("purity", None, k=5, product="car", mode="lexical")
    assert all("car" in h.chunk.products for h in gold)
    assert index.indexed_versions() == {"late-fees": 1, "prepayment": 1, "gold-valuation": 1}


def test_update_replaces_the_old_version_and_delete_removes(index: OpenSearchIndex) -> None:
    index.apply([prepared(LATE), prepared(GOLD)], [])
    index.apply([prepared(LATE.replace("Five days", "Seven days"), version=2)], ["gold-valuation"])
    assert index.indexed_versions() == {"late-fees": 2}
    hits = index.search("days of grace", None, k=5, product=None, mode="lexical")
    assert {h.chunk.version for h in hits} == {2} and "Seven" in hits[0].chunk.text
    vectors = index.vectors_for([hits[0].chunk.chunk_id])
    assert vectors.shape == (1, HashingEncoder.dimension)
    assert np.isclose(np.linalg.norm(vectors[0]), 1.0, atol=1e-5)
