import pytest

from core.errors import Conflict, NotFound
from storage.kb_documents import KbDocument
from storage.kb_documents_sqlite import SqliteKbDocumentStore


def doc(doc_id="fees", version=1, **kw):
    base = {
        "title": "Fees",
        "products": ("car",),
        "effective_date": "2026-11-01",
        "body": "## Fees\ntext",
        "content_hash": f"h{version}",
    }
    return KbDocument(doc_id=doc_id, version=version, **{**base, **kw})


def check_store_contract(store):
    """Behaviour every KbDocumentStore backend must show (reused by the DynamoDB test)."""
    store.put(doc(version=1))
    store.put(doc(version=2, body="new", extra={"policy_version": "x"}))
    store.put(doc("gold", 1, products=("gold", "car")))
    assert store.get("fees").version == 2 and store.get("fees").body == "new"
    assert store.get("fees").extra == {"policy_version": "x"}
    assert store.get("fees", 1).body == "## Fees\ntext"
    assert store.versions("fees") == [1, 2] and store.versions("nope") == []
    assert [(d.doc_id, d.version) for d in store.latest_all()] == [("fees", 2), ("gold", 1)]
    assert store.get("gold").products == ("gold", "car")
    with pytest.raises(Conflict):
        store.put(doc(version=2))
    with pytest.raises(NotFound):
        store.get("nope")
    with pytest.raises(NotFound):
        store.get("fees", 7)
    store.put(doc(version=3, deleted=True))
    assert store.get("fees").deleted is True
    store.remove_version("fees", 3)
    assert store.versions("fees") == [1, 2] and store.get("fees").deleted is False


def test_sqlite_store_contract(tmp_path):
    check_store_contract(SqliteKbDocumentStore(tmp_path / "kb.sqlite"))


def test_sqlite_store_persists_across_connections(tmp_path):
    SqliteKbDocumentStore(tmp_path / "kb.sqlite").put(doc())
    assert SqliteKbDocumentStore(tmp_path / "kb.sqlite").get("fees").version == 1
