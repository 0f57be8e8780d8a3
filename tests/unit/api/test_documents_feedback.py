import io
import json
import logging
import sqlite3

import pytest
from PIL import Image

from tests.fakes.documents import image_bytes, pdf_bytes
from tests.unit.api.conftest import application_body

PDF = pdf_bytes()
PNG = image_bytes("PNG")
JPEG = image_bytes("JPEG")


@pytest.mark.parametrize(
    ("data", "kind"), [(PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg")]
)
def test_upload_sniffs_type_from_bytes(client, alice, settings, data, kind):
    # The declared type lies; the stored type comes from decoding the bytes.
    r = client.post(
        "/v1/documents",
        files={"file": ("../../etc/payslip.bin", data, "text/plain")},
        data={"kind": "proof_of_income"},
        headers=alice,
    )
    assert r.status_code == 201, r.text
    doc = r.json()
    assert doc["content_type"] == kind
    assert doc["filename"] == "payslip.bin"
    stored = list((settings.var_dir / "documents").rglob(doc["document_id"]))
    assert len(stored) == 1 and doc["size_bytes"] == stored[0].stat().st_size
    if kind == "application/pdf":
        assert stored[0].read_bytes() == data
    else:  # images are re-encoded: the same picture in a fresh file (JPEG re-encoding is lossy)
        fresh, sent = Image.open(stored[0]), Image.open(io.BytesIO(data))
        assert fresh.size == sent.size and fresh.format == sent.format
        if kind == "image/png":
            assert fresh.tobytes() == sent.tobytes()


def test_upload_rejects_other_types_and_large_files(client, alice, settings):
    r = client.post(
        "/v1/documents",
        files={"file": ("x.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")},
        data={"kind": "identity"},
        headers=alice,
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "file"
    big = PDF + b"x" * settings.max_upload_bytes
    r = client.post(
        "/v1/documents",
        files={"file": ("big.pdf", big, "application/pdf")},
        data={"kind": "identity"},
        headers=alice,
    )
    assert r.status_code in (413, 422)


def test_list_get_delete_and_isolation(client, alice, bob, settings):
    doc = client.post(
        "/v1/documents", files={"file": ("a.png", PNG)}, data={"kind": "identity"}, headers=alice
    ).json()
    assert [d["document_id"] for d in client.get("/v1/documents", headers=alice).json()] == [
        doc["document_id"]
    ]
    assert client.get("/v1/documents", headers=bob).json() == []
    assert client.get(f"/v1/documents/{doc['document_id']}", headers=bob).status_code == 404
    assert client.delete(f"/v1/documents/{doc['document_id']}", headers=bob).status_code == 404
    assert client.delete(f"/v1/documents/{doc['document_id']}", headers=alice).status_code == 204
    assert client.get(f"/v1/documents/{doc['document_id']}", headers=alice).status_code == 404
    assert not list((settings.var_dir / "documents").rglob(doc["document_id"]))


def test_presigned_upload_is_not_offered_locally(client, alice):
    body = {"kind": "identity", "filename": "a.png", "content_type": "image/png", "size_bytes": 10}
    assert client.post("/v1/documents/uploads", json=body, headers=alice).status_code == 404


def _thread_with_reply(client, headers):
    thread = client.post("/v1/threads", json={}, headers=headers).json()["thread_id"]
    body = {"message": "I want a car loan of $20,000 over 4 years"}
    assert client.post(f"/v1/chat/{thread}", json=body, headers=headers).status_code == 200
    messages = client.get(f"/v1/threads/{thread}", headers=headers).json()["messages"]
    reply = next(m for m in messages if m["role"] == "assistant" and m["message_id"])
    return thread, reply["message_id"]


def test_thumbs_keep_the_reply_versions_and_redact_the_comment(client, alice, settings):
    thread, reply_id = _thread_with_reply(client, alice)
    thumb = {
        "thread_id": thread,
        "message_id": reply_id,
        "thumb": "up",
        "comment": "clear, call me on 555-123-4567",
    }
    assert client.post("/v1/feedback/messages", json=thumb, headers=alice).status_code == 201
    unknown = {**thumb, "message_id": "not-a-reply"}
    assert client.post("/v1/feedback/messages", json=unknown, headers=alice).status_code == 404
    with sqlite3.connect(settings.app_db_path) as conn:
        comment, versions = conn.execute("SELECT comment, versions FROM feedback").fetchone()
    assert "555-123-4567" not in comment
    stored = json.loads(versions)
    assert stored["provider"] == settings.provider
    assert stored["prompt"].startswith("system/")


def test_rating_and_thumbs_feed_staff_metrics(client, alice, bob, staff):
    app = client.post("/v1/applications", json=application_body(), headers=alice).json()
    for rating in (4, 5):
        r = client.post(
            "/v1/feedback/rating",
            json={"rating": rating, "application_id": app["application_id"]},
            headers=alice,
        )
        assert r.status_code == 201
    assert client.post("/v1/feedback/rating", json={"rating": 6}, headers=alice).status_code == 422
    thread, reply_id = _thread_with_reply(client, alice)
    thumb = {"thread_id": thread, "message_id": reply_id, "thumb": "down", "comment": "unclear"}
    assert client.post("/v1/feedback/messages", json=thumb, headers=alice).status_code == 201
    assert client.post("/v1/feedback/messages", json=thumb, headers=bob).status_code == 404
    metrics = client.get("/v1/staff/metrics", headers=staff).json()
    assert metrics["feedback"] == {
        "ratings": 2.0,
        "mean_rating": 4.5,
        "thumbs_up": 0.0,
        "thumbs_down": 1.0,
    }
    assert metrics["applications_by_status"] == {"approved": 1}


def test_staff_kb_search_uses_the_knowledge_base(client, staff):
    hits = client.get(
        "/v1/staff/kb/search", params={"q": "late fee gold loan"}, headers=staff
    ).json()
    assert hits and {"doc_id", "url", "text"} <= set(hits[0])


def test_hardening_headers_limits_and_metrics(client, alice, caplog):
    r = client.options(
        "/v1/applications",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in r.headers
    r = client.options(
        "/v1/applications",
        headers={"Origin": "http://127.0.0.1:8000", "Access-Control-Request-Method": "POST"},
    )
    assert r.headers["access-control-allow-origin"] == "http://127.0.0.1:8000"
    r = client.get("/healthz")
    assert r.headers["Strict-Transport-Security"].startswith("max-age")
    r = client.post(
        "/v1/threads", content=b"x" * 70_000, headers={**alice, "content-type": "application/json"}
    )
    assert r.status_code == 413
    with caplog.at_level(logging.INFO, logger="api.access"):
        client.get("/v1/applications?email=ada@example.com", headers=alice)
    line = [rec for rec in caplog.records if rec.name == "api.access"][-1]
    assert line.route == "/v1/applications" and "ada@" not in str(line.__dict__)
    text = client.get("/metrics").text
    assert 'http_requests_total{method="GET",route="/v1/applications",status="200"}' in text


def test_unexpected_errors_hide_internals(client, alice):
    # A broken store raises inside the route; the client sees a problem, not a stack trace.
    from fastapi.testclient import TestClient

    class BrokenStore:
        def list_for(self, owner, limit=50):
            return 1 / 0

    services = client.app.state.services
    original, services.repos.applications = services.repos.applications, BrokenStore()
    try:
        r = TestClient(client.app, raise_server_exceptions=False).get(
            "/v1/applications", headers=alice
        )
    finally:
        services.repos.applications = original
    assert r.status_code == 500
    assert "ZeroDivision" not in r.text and r.json()["title"] == "Internal error"


def test_chunked_bodies_are_limited_too(client, alice):
    def chunks():
        for _ in range(40):
            yield b"x" * 4096  # 160 KiB, no Content-Length

    r = client.post(
        "/v1/threads", content=chunks(), headers={**alice, "content-type": "application/json"}
    )
    assert r.status_code == 413
    assert r.headers["content-type"] == "application/problem+json"
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_a_png_header_followed_by_html_is_not_stored(client, alice, settings):
    # Finding 7: the first bytes alone decided, so this was stored as image/png.
    polyglot = b"\x89PNG\r\n\x1a\n<html><script>alert(document.cookie)</script></html>"
    r = client.post(
        "/v1/documents",
        files={"file": ("id.png", polyglot, "image/png")},
        data={"kind": "identity"},
        headers=alice,
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "file"
    assert not list((settings.var_dir / "documents").rglob("doc_*"))
    assert client.get("/v1/documents", headers=alice).json() == []


def test_a_pdf_with_javascript_is_refused(client, alice):
    r = client.post(
        "/v1/documents",
        files={"file": ("payslip.pdf", pdf_bytes(javascript="app.alert(1)"), "application/pdf")},
        data={"kind": "proof_of_income"},
        headers=alice,
    )
    assert r.status_code == 422 and "scripts" in r.json()["detail"]


def test_stored_files_and_databases_are_owner_only(client, alice, settings):
    # Finding 7: stored files and app.sqlite were mode 0644.
    r = client.post(
        "/v1/documents",
        files={"file": ("p.pdf", PDF, "application/pdf")},
        data={"kind": "proof_of_income"},
        headers=alice,
    )
    assert r.status_code == 201
    var = settings.var_dir
    files = [*(var / "documents").rglob("doc_*"), *var.glob("*.sqlite*"), *(var / "auth").iterdir()]
    assert any(p.name == "app.sqlite" for p in files)
    assert any(p.name == "checkpoints.sqlite" for p in files)
    for path in files:
        assert path.stat().st_mode & 0o077 == 0, (path, oct(path.stat().st_mode))
    folders = [var, var / "auth", var / "documents", *(var / "documents").iterdir()]
    for folder in folders:
        assert folder.stat().st_mode & 0o077 == 0, (folder, oct(folder.stat().st_mode))
