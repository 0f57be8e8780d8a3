import numpy as np
import pytest

from retrieval.chunking import chunk_document
from retrieval.documents import parse_markdown
from retrieval.index import DocumentChunks
from retrieval.index_embedded import EmbeddedIndex
from tests.unit.retrieval.conftest import GOLD, LATE, PREPAY, HashingEncoder


def prepared(text, version=1):
    enc = HashingEncoder()
    chunks = chunk_document(parse_markdown(text).to_record(version))
    return DocumentChunks(chunks[0].doc_id, chunks, enc.encode([c.index_text for c in chunks]))


def test_persisted_index_loads_back_identically(tmp_path):
    index = EmbeddedIndex(tmp_path / "idx", 64)
    index.apply([prepared(LATE), prepared(GOLD)], [])
    again = EmbeddedIndex.load(tmp_path / "idx", 64)
    assert again.indexed_versions() == {"late-fees": 1, "gold-valuation": 1}
    vec = HashingEncoder().encode(["late fee"])[0]
    first = index.search("late fee", vec, k=2, product=None, mode="hybrid")
    second = again.search("late fee", vec, k=2, product=None, mode="hybrid")
    assert [h.chunk.chunk_id for h in first] == [h.chunk.chunk_id for h in second]
    assert first[0].chunk.doc_id == "late-fees"


@pytest.mark.parametrize("mode", ["lexical", "dense", "hybrid"])
def test_product_filter_keeps_only_tagged_chunks(tmp_path, mode):
    index = EmbeddedIndex(None, 64)
    index.apply([prepared(LATE), prepared(GOLD), prepared(PREPAY)], [])
    vec = HashingEncoder().encode(["gold purity loan"])[0]
    hits = index.search("gold purity loan", vec, k=5, product="car", mode=mode)
    assert hits and all("car" in h.chunk.products for h in hits)
    assert index.search("gold", vec, k=5, product="education", mode=mode) == []


def test_update_replaces_old_chunks_and_delete_removes(tmp_path):
    index = EmbeddedIndex(tmp_path / "idx", 64)
    index.apply([prepared(LATE), prepared(GOLD)], [])
    index.apply([prepared(LATE, version=2)], ["gold-valuation"])
    assert index.indexed_versions() == {"late-fees": 2}
    assert EmbeddedIndex.load(tmp_path / "idx", 64).indexed_versions() == {"late-fees": 2}


def test_a_failed_apply_leaves_the_previous_index(tmp_path):
    index = EmbeddedIndex(tmp_path / "idx", 64)
    index.apply([prepared(LATE)], [])
    broken = prepared(GOLD)
    broken = DocumentChunks(broken.doc_id, broken.chunks, np.zeros((0, 64), dtype=np.float32))
    with pytest.raises(ValueError):
        index.apply([broken], [])
    assert index.indexed_versions() == {"late-fees": 1}
    assert EmbeddedIndex.load(tmp_path / "idx", 64).indexed_versions() == {"late-fees": 1}


def test_corrupt_index_is_detected(tmp_path):
    index = EmbeddedIndex(tmp_path / "idx", 64)
    index.apply([prepared(LATE)], [])
    np.save(tmp_path / "idx" / "vectors.npy", np.zeros((1, 64), dtype=np.float32))
    with pytest.raises(ValueError, match="corrupt"):
        EmbeddedIndex.load(tmp_path / "idx", 64)


def test_an_index_an_older_chunker_built_loads_empty_so_the_next_sync_rebuilds_it(tmp_path):
    import json

    index = EmbeddedIndex(tmp_path / "idx", 64)
    index.apply([prepared(LATE)], [])
    meta_path = tmp_path / "idx" / "chunks.json"
    meta = json.loads(meta_path.read_text())
    assert EmbeddedIndex.load(tmp_path / "idx", 64).indexed_versions() == {"late-fees": 1}
    meta_path.write_text(json.dumps({"chunks": meta["chunks"]}))  # as chunker 1 wrote it
    stale = EmbeddedIndex.load(tmp_path / "idx", 64)
    assert stale.indexed_versions() == {}
    stale.apply([prepared(LATE)], [])
    assert EmbeddedIndex.load(tmp_path / "idx", 64).indexed_versions() == {"late-fees": 1}
