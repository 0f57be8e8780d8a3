import pytest

from core.errors import Conflict, NotFound, ValidationFailed
from retrieval.updates import add_document, delete_document, reindex, update_document
from tests.unit.retrieval.conftest import LATE, PREPAY, doc_md

LATE_V2 = LATE.replace("Five days of grace", "Seven days of grace")


def test_update_adds_a_version_and_keeps_the_old_one_citable(kb):
    result = update_document(kb, LATE_V2)
    assert (result.action, result.version) == ("updated", 2)
    assert kb.search("days of grace after the due date")[0].version == 2
    assert "Five days" in kb.get_document("late-fees", version=1).body
    assert "Seven days" in kb.get_document("late-fees").body
    assert kb.get_document("late-fees").versions == [1, 2]


def test_unchanged_update_is_a_no_op(kb):
    assert update_document(kb, LATE).action == "unchanged"
    assert kb.store.versions("late-fees") == [1]


def test_update_only_embeds_changed_chunks(kb, encoder):
    encoder.encoded.clear()
    update_document(kb, LATE_V2)
    assert len(encoder.encoded) == 1 and "Seven days" in encoder.encoded[0]


def test_add_existing_and_update_unknown_are_refused(kb):
    with pytest.raises(Conflict):
        add_document(kb, LATE)
    with pytest.raises(NotFound):
        update_document(kb, doc_md("brand-new", "## A\ntext"))


def test_malformed_update_changes_nothing(kb):
    with pytest.raises(ValidationFailed):
        update_document(kb, "---\nid: late-fees\n---\nno title")
    assert kb.store.versions("late-fees") == [1]


def test_failed_embedding_leaves_the_old_version_served(kb, encoder):
    encoder.fail_on = "Seven days"
    with pytest.raises(RuntimeError):
        update_document(kb, LATE_V2)
    assert kb.store.versions("late-fees") == [1]
    assert kb.search("days of grace")[0].version == 1


class FailingIndex:
    """Wraps a real index; fails every apply after the wrapped one is built."""

    def __init__(self, inner):
        self.inner = inner

    def apply(self, upserts, deletes):
        raise OSError("disk full")

    def __getattr__(self, name):
        return getattr(self.inner, name)


def test_failed_index_swap_rolls_the_store_back(kb):
    kb.index = FailingIndex(kb.index)
    with pytest.raises(OSError):
        update_document(kb, LATE_V2)
    with pytest.raises(OSError):
        delete_document(kb, "prepayment")
    assert kb.store.versions("late-fees") == [1]
    assert kb.store.versions("prepayment") == [1]
    assert kb.search("days of grace")[0].version == 1
    assert kb.get_document("late-fees").version == 1


def test_delete_hides_the_document_but_keeps_versions(kb):
    result = delete_document(kb, "prepayment")
    assert result.action == "deleted"
    assert all(p.doc_id != "prepayment" for p in kb.search("prepayment charge home loans"))
    with pytest.raises(NotFound):
        kb.get_document("prepayment")
    assert "prepayment charge" in kb.get_document("prepayment", version=1).body
    with pytest.raises(NotFound):
        delete_document(kb, "prepayment")
    assert add_document(kb, PREPAY).version == 3  # re-adding continues the numbering


def test_reindex_rebuilds_a_lost_index_from_the_store_without_re_embedding(kb, make_kb, encoder):
    import shutil

    shutil.rmtree(kb.index._folder)  # the index is lost, the store and cache survive
    fresh = make_kb()
    assert fresh.index.indexed_versions() == {}
    encoder.encoded.clear()
    results = reindex(fresh)
    assert {r.doc_id for r in results} == {"late-fees", "prepayment", "gold-valuation"}
    assert encoder.encoded == []
    assert fresh.search("gold purity")[0].doc_id == "gold-valuation"
    assert reindex(fresh) == []


def test_sync_adds_changes_and_withdraws_removed_corpus_files(make_kb, tmp_path, monkeypatch):
    from retrieval import product_sheets
    from retrieval.updates import sync_corpus

    monkeypatch.setattr(product_sheets, "generated_documents", lambda policy=None: [])
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_text(LATE)
    (corpus / "b.md").write_text(PREPAY)
    kb = make_kb()
    add_document(kb, doc_md("staff-note", "## Note\nadded by staff"))
    assert {r.action for r in sync_corpus(kb, corpus)} == {"added"}
    assert sync_corpus(kb, corpus) == []
    (corpus / "a.md").write_text(LATE_V2)
    (corpus / "b.md").unlink()
    results = {r.doc_id: (r.action, r.version) for r in sync_corpus(kb, corpus)}
    assert results == {"late-fees": ("updated", 2), "prepayment": ("deleted", 2)}
    assert set(kb.index.indexed_versions()) == {"late-fees", "staff-note"}
    assert kb.get_document("prepayment", version=1).body  # still citable
