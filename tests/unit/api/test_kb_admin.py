import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from retrieval.embeddings import EmbeddingCache
from retrieval.index_embedded import EmbeddedIndex
from retrieval.service import KnowledgeBase
from retrieval.updates import add_document
from storage.kb_documents_sqlite import SqliteKbDocumentStore
from tests.fakes.scoring import RuleScorer
from tests.unit.api.conftest import log_in_staff, sign_up
from tests.unit.retrieval.conftest import LATE, HashingEncoder, doc_md


@pytest.fixture
def kb_client(settings, tmp_path):
    enc = HashingEncoder()
    kb = KnowledgeBase(
        store=SqliteKbDocumentStore(tmp_path / "kb.sqlite"),
        index=EmbeddedIndex(tmp_path / "kb_index", enc.dimension),
        encoder=enc,
        cache=EmbeddingCache(None, enc.dimension),
    )
    add_document(kb, LATE)
    with TestClient(create_app(settings, scorer=RuleScorer(), knowledge=kb)) as c:
        yield c


def test_staff_adds_updates_and_withdraws_documents(kb_client):
    staff = log_in_staff(kb_client)
    url = "/v1/staff/kb/documents"
    assert [d["doc_id"] for d in kb_client.get(url, headers=staff).json()] == ["late-fees"]
    text = doc_md("fx-rules", "# FX\n\n## Currency\nAll loans are paid out in US dollars.")
    r = kb_client.post(url, json={"text": text}, headers=staff)
    assert r.status_code == 201 and r.json()["action"] == "added"
    assert kb_client.post(url, json={"text": text}, headers=staff).status_code == 409
    hits = kb_client.get("/v1/staff/kb/search", params={"q": "currency dollars"}, headers=staff)
    assert hits.json()[0]["doc_id"] == "fx-rules"
    new = text.replace("US dollars", "US dollars only")
    r = kb_client.put(f"{url}/fx-rules", json={"text": new}, headers=staff)
    assert r.json() == {"doc_id": "fx-rules", "version": 2, "action": "updated", "chunks": 1}
    assert kb_client.put(f"{url}/late-fees", json={"text": new}, headers=staff).status_code == 422
    assert kb_client.delete(f"{url}/fx-rules", headers=staff).json()["action"] == "deleted"
    assert [d["doc_id"] for d in kb_client.get(url, headers=staff).json()] == ["late-fees"]
    applicant = sign_up(kb_client)
    assert kb_client.get(url, headers=applicant).status_code == 403
