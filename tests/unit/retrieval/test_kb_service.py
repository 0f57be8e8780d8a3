import pytest

from core.errors import NotFound, ValidationFailed
from retrieval.service import Passage


def test_search_returns_citable_passages(kb):
    passages = kb.search("how much is the late fee for a missed instalment")
    assert passages and isinstance(passages[0], Passage)
    top = passages[0]
    assert (top.doc_id, top.version, top.section) == ("late-fees", 1, "Late fee")
    assert top.url == "/kb/late-fees#late-fee"
    assert top.title == "Late Fees" and "late fee" in top.text.lower()


def test_first_passages_come_from_distinct_documents(kb):
    passages = kb.search("late fee grace period prepayment charge", k=3)
    assert len({p.doc_id for p in passages[:2]}) == 2


def test_product_filter_and_detection(kb):
    assert {p.doc_id for p in kb.search("purity testing", product="gold")} == {"gold-valuation"}
    assert all(p.doc_id != "gold-valuation" for p in kb.search("purity of my car loan"))


def test_history_turns_a_follow_up_into_a_full_query(kb):
    passages = kb.search("and what about that?", history=["prepayment charges on home loans"])
    assert passages[0].doc_id == "prepayment"


@pytest.mark.parametrize("mode", ["lexical", "dense", "hybrid"])
def test_every_mode_finds_the_obvious_document(kb, mode):
    assert kb.search("gold jewellery purity", mode=mode)[0].doc_id == "gold-valuation"


def test_bad_queries_raise_validation_errors(kb):
    with pytest.raises(ValidationFailed):
        kb.search("")
    with pytest.raises(ValidationFailed):
        kb.search("late", k=0)


def test_get_document_latest_and_unknown(kb):
    doc = kb.get_document("late-fees")
    assert doc.version == 1 and doc.versions == [1] and doc.url == "/kb/late-fees"
    with pytest.raises(NotFound):
        kb.get_document("no-such-doc")
    with pytest.raises(NotFound):
        kb.get_document("late-fees", version=9)


def test_snapshot_changes_when_the_index_changes(kb):
    from retrieval.updates import delete_document

    before = kb.snapshot
    delete_document(kb, "gold-valuation")
    assert kb.snapshot != before and kb.snapshot.startswith("kb-")
