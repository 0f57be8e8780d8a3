"""GET /v1/kb/documents/{doc_id}: the page a chat citation links to."""

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
from tests.unit.retrieval.conftest import LATE, HashingEncoder

URL = "/v1/kb/documents/late-fees"


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


def test_applicant_reads_the_latest_and_a_cited_version(kb_client):
    applicant, staff = sign_up(kb_client), log_in_staff(kb_client)
    doc = kb_client.get(URL, headers=applicant).json()
    assert doc["doc_id"] == "late-fees" and doc["version"] == 1 and doc["title"] == "Late Fees"
    assert doc["effective_date"] == "2026-11-01"
    assert "## Grace period" in doc["body"] and "---" not in doc["body"]  # no front matter
    updated = LATE.replace("Five days", "Six days")
    r = kb_client.put("/v1/staff/kb/documents/late-fees", json={"text": updated}, headers=staff)
    assert r.json()["version"] == 2
    latest = kb_client.get(URL, headers=applicant).json()
    assert "Six days" in latest["body"] and latest["versions"] == [1, 2]
    cited = kb_client.get(URL, params={"version": 1}, headers=applicant).json()
    assert "Five days" in cited["body"] and cited["latest_version"] == 2
    kb_client.delete("/v1/staff/kb/documents/late-fees", headers=staff)
    assert kb_client.get(URL, headers=applicant).status_code == 404  # withdrawn
    assert kb_client.get(URL, params={"version": 1}, headers=applicant).status_code == 200


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/v1/kb/documents/no-such-doc", 404),
        ("/v1/kb/documents/late-fees?version=9", 404),
        ("/v1/kb/documents/late-fees?version=0", 422),
        ("/v1/kb/documents/Bad_Id", 422),
    ],
)
def test_unknown_or_malformed_documents(kb_client, path, status):
    r = kb_client.get(path, headers=sign_up(kb_client))
    assert r.status_code == status
    assert r.headers["content-type"].startswith("application/problem+json")


def test_needs_sign_in_and_a_knowledge_base(kb_client, client, alice):
    assert kb_client.get(URL).status_code == 401
    assert client.get(URL, headers=alice).status_code == 503  # the fake KB only searches
