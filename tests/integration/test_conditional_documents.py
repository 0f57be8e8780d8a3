"""Over real HTTP with a trained champion: a conditional approval's Accept waits for documents."""

from __future__ import annotations

from typing import Any

import httpx

from cli.scoring import ensure_champion
from tests.integration.servers import api_server
from tests.unit.api.conftest import application_body

# Profiles near the tier-C band of a small champion; the first one decided conditionally is used.
CANDIDATES = [
    {"credit_score": score, "annual_income": income, "monthly_debt_payments": "500"}
    for score in (660, 650, 670, 680)
    for income in ("90000", "60000")
]
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]"
    b"/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\nstartxref\n0\n%%EOF\n"
)


def _conditional(http: httpx.Client) -> dict[str, Any]:
    for changes in CANDIDATES:
        r = http.post("/v1/applications", json=application_body(**changes))
        assert r.status_code == 201, r.text
        if r.json()["decision"]["outcome"] == "conditionally_approved":
            found: dict[str, Any] = r.json()
            return found
    raise AssertionError("no candidate profile was conditionally approved by this champion")


def test_accept_waits_for_uploaded_and_marked_documents(tmp_path) -> None:
    ensure_champion(tmp_path, rows=800, seed=5)
    with api_server(tmp_path) as base, httpx.Client(base_url=base, timeout=60) as http:
        creds = {"email": "ada@example.com", "password": "correct-horse-1"}
        assert http.post("/v1/auth/signup", json=creds).status_code == 202
        token = http.post("/v1/auth/login", json=creds).json()["access_token"]
        http.headers["Authorization"] = f"Bearer {token}"
        app = _conditional(http)
        base_url = f"/v1/applications/{app['application_id']}"
        names = [d["name"] for d in app["documents"]]
        assert names == app["decision"]["required_documents"] and len(names) >= 3
        offer = http.get(f"{base_url}/offers").json()["offers"][0]["offer_id"]
        refused = http.post(f"{base_url}/offers/{offer}/accept")
        assert refused.status_code == 409
        assert refused.json()["detail"].startswith("Before you can accept, we need:")
        upload = http.post(
            "/v1/documents",
            files={"file": ("id.pdf", PDF, "application/pdf")},
            data={"kind": "identity", "application_id": app["application_id"]},
        )
        assert upload.status_code == 201, upload.text
        doc_id = upload.json()["document_id"]
        first = http.post(f"{base_url}/documents", json={"name": names[0], "document_id": doc_id})
        assert first.status_code == 200, first.text
        assert first.json()["documents"][0]["document_id"] == doc_id
        assert names[0] not in first.json()["accept_blocked"]
        for name in names[1:]:
            assert http.post(f"{base_url}/documents", json={"name": name}).status_code == 200
        assert http.get(base_url).json()["accept_blocked"] is None
        accepted = http.post(f"{base_url}/offers/{offer}/accept")
        assert accepted.status_code == 200, accepted.text
        assert http.get(base_url).json()["status"] == "offer_accepted"
