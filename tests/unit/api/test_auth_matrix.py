"""Every route x {no token, bad token, expired token, other applicant, staff}."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.identity import LocalIdentityProvider, load_or_create_key
from api.main import create_app
from core.clock import FixedClock, SystemClock
from core.config import Settings
from evals.jobs import EvalJobs
from evals.report import write_reports
from retrieval.embeddings import EmbeddingCache
from retrieval.index_embedded import EmbeddedIndex
from retrieval.service import KnowledgeBase
from retrieval.updates import add_document
from storage.kb_documents_sqlite import SqliteKbDocumentStore
from storage.records import UserRecord
from tests.fakes.documents import image_bytes
from tests.fakes.scoring import RuleScorer
from tests.unit.api.conftest import application_body, log_in_staff, sign_up
from tests.unit.evals.test_gate import write_run
from tests.unit.retrieval.conftest import GOLD, LATE, HashingEncoder, doc_md

EXPERIMENT = (
    "key: prompt_style\nversion: 1\nsurface: prompt\n"
    "arms: [{name: A, weight: 1}, {name: B, weight: 1}]\n"
    "primary_metric: {name: accepted, event: accepted}\n"
)
PNG = image_bytes("PNG")
PUBLIC = {
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("POST", "/v1/auth/signup"),
    ("POST", "/v1/auth/login"),
    ("GET", "/.well-known/jwks.json"),
    ("GET", "/v1/auth/config"),
}
# (method, route) -> (status for another applicant, status for staff) on alice's resources.
EXPECTED = {
    ("GET", "/v1/auth/me"): (200, 200),
    ("POST", "/v1/threads"): (201, 201),
    ("GET", "/v1/threads"): (200, 200),
    ("GET", "/v1/threads/{thread_id}"): (404, 404),
    ("POST", "/v1/chat/{thread_id}"): (404, 404),
    ("POST", "/v1/applications"): (201, 201),
    ("GET", "/v1/applications"): (200, 200),
    ("GET", "/v1/applications/{application_id}"): (404, 200),
    ("GET", "/v1/applications/{application_id}/history"): (404, 200),
    ("GET", "/v1/applications/{application_id}/decision"): (404, 200),
    ("POST", "/v1/applications/{application_id}/withdraw"): (404, 404),
    ("POST", "/v1/applications/{application_id}/documents"): (404, 404),
    ("GET", "/v1/applications/{application_id}/offers"): (404, 200),
    ("POST", "/v1/applications/{application_id}/offers/adjust"): (404, 404),
    ("POST", "/v1/applications/{application_id}/offers/compare"): (404, 200),
    ("POST", "/v1/applications/{application_id}/offers/{offer_id}/accept"): (404, 404),
    ("POST", "/v1/documents"): (404, 404),  # attaching to alice's application
    ("POST", "/v1/documents/uploads"): (404, 404),
    ("POST", "/v1/documents/{document_id}/complete"): (404, 404),
    ("GET", "/v1/documents"): (200, 200),
    ("GET", "/v1/documents/{document_id}"): (404, 404),
    ("DELETE", "/v1/documents/{document_id}"): (404, 404),
    ("POST", "/v1/feedback/rating"): (404, 404),
    ("POST", "/v1/feedback/messages"): (404, 404),
    ("GET", "/v1/kb/documents/{doc_id}"): (200, 200),  # policy text is not anyone's data
    ("GET", "/v1/experiments/assignment"): (200, 200),
    ("POST", "/v1/experiments/events"): (204, 204),
    ("POST", "/v1/experiments/{key}/exposure"): (200, 200),
    ("GET", "/v1/experiments"): (403, 200),
    ("POST", "/v1/experiments"): (403, 201),
    ("GET", "/v1/experiments/{key}"): (403, 200),
    ("GET", "/v1/experiments/{key}/results"): (403, 200),
    ("POST", "/v1/experiments/{key}/versions/{version}/{action}"): (403, 200),
    ("GET", "/v1/staff/review-queue"): (403, 200),
    ("POST", "/v1/staff/applications/{application_id}/review"): (403, 200),
    ("GET", "/v1/staff/handovers"): (403, 200),
    ("GET", "/v1/staff/metrics"): (403, 200),
    ("GET", "/v1/staff/kpis"): (403, 200),
    ("GET", "/v1/staff/ops-health"): (403, 200),
    ("POST", "/v1/staff/threads/{thread_id}/eval-case"): (403, 201),
    ("GET", "/v1/staff/query-topics"): (403, 200),
    ("GET", "/v1/staff/feedback-reviews"): (403, 200),
    ("GET", "/v1/staff/feedback-reviews/{item_id}"): (403, 200),
    ("POST", "/v1/staff/feedback-reviews/{item_id}/resolve"): (403, 200),
    ("POST", "/v1/staff/feedback-reviews/{item_id}/dismiss"): (403, 200),
    ("POST", "/v1/staff/feedback-reviews/{item_id}/eval-case"): (403, 201),
    ("POST", "/v1/events/step"): (201, 201),  # a step of the caller's own form session
    ("GET", "/v1/staff/experiments"): (403, 200),
    ("GET", "/v1/staff/kb/search"): (403, 200),
    ("GET", "/v1/staff/kb/documents"): (403, 200),
    ("POST", "/v1/staff/kb/documents"): (403, 201),
    ("PUT", "/v1/staff/kb/documents/{doc_id}"): (403, 200),
    ("DELETE", "/v1/staff/kb/documents/{doc_id}"): (403, 200),
    ("GET", "/v1/staff/evals/choices"): (403, 200),
    ("GET", "/v1/staff/evals/runs"): (403, 200),
    ("GET", "/v1/staff/evals/runs/{run_id}"): (403, 200),
    ("GET", "/v1/staff/evals/runs/{run_id}/report.html"): (403, 200),
    ("GET", "/v1/staff/evals/compare"): (403, 200),
    ("POST", "/v1/staff/evals/jobs"): (403, 422),  # an unknown suite: no run starts here
    ("GET", "/v1/staff/evals/jobs"): (403, 200),
    ("GET", "/v1/staff/evals/jobs/{job_id}"): (403, 404),
}
NEW_DOC = doc_md("matrix-doc", "# Matrix\n\n## Section\nA document added by the auth matrix.")
UPDATED_LATE = LATE.replace("Five days", "Six days")


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    var = tmp_path_factory.mktemp("matrix")
    settings = Settings(
        var_dir=var, staff_email="staff@example.com", staff_password="staff-password-1"
    )
    enc = HashingEncoder()
    kb = KnowledgeBase(
        store=SqliteKbDocumentStore(var / "kb.sqlite"),
        index=EmbeddedIndex(var / "kb_index", enc.dimension),
        encoder=enc,
        cache=EmbeddingCache(None, enc.dimension),
    )
    for text in (LATE, GOLD):
        add_document(kb, text)
    write_reports(write_run(var / "evals" / "r1", {"s/a": True, "s/b": False}))
    eval_runs = EvalJobs(var / "evals")
    app = create_app(settings, scorer=RuleScorer(), knowledge=kb, eval_runs=eval_runs)
    with TestClient(app) as client:
        alice, bob, staff = sign_up(client), sign_up(client), log_in_staff(client)
        thread = client.post("/v1/threads", json={}, headers=alice).json()["thread_id"]
        client.post(f"/v1/chat/{thread}", json={"message": "hi"}, headers=alice)  # a turn to export
        messages = client.get(f"/v1/threads/{thread}", headers=alice).json()["messages"]
        reply = next(m["message_id"] for m in messages if m["role"] == "assistant")
        down = {"thread_id": thread, "message_id": reply, "thumb": "down"}
        assert client.post("/v1/feedback/messages", json=down, headers=alice).status_code == 201
        approved = client.post("/v1/applications", json=application_body(), headers=alice).json()
        referred = client.post(
            "/v1/applications", json=application_body(credit_score=None), headers=alice
        ).json()
        assert referred["status"] == "under_review"
        low = {"rating": 1, "application_id": approved["application_id"]}
        assert client.post("/v1/feedback/rating", json=low, headers=alice).status_code == 201
        reviews = client.get("/v1/staff/feedback-reviews", headers=staff).json()
        thumbed = next(r["item_id"] for r in reviews if r["thumb"] == "down")
        rated = next(r["item_id"] for r in reviews if r["rating"] == 1)
        offers = client.get(
            f"/v1/applications/{approved['application_id']}/offers", headers=alice
        ).json()["offers"]
        doc = client.post(
            "/v1/documents",
            files={"file": ("id.png", PNG, "image/png")},
            data={"kind": "identity"},
            headers=alice,
        ).json()
        seeded = client.post("/v1/experiments", json={"definition": EXPERIMENT}, headers=staff)
        assert seeded.status_code == 201
        client.post("/v1/experiments/prompt_style/versions/1/start", headers=staff)
        key = load_or_create_key(var / "auth")
        past = FixedClock(SystemClock().now() - timedelta(hours=2))
        user = UserRecord(
            user_id="usr_someone1", email="x@example.com", password_hash="x", created_at=past.now()
        )
        expired = LocalIdentityProvider(None, key, past, 3600).issue(user)
        ids = {
            "thread_id": thread,
            "application_id": approved["application_id"],
            "referred_id": referred["application_id"],
            "offer_id": offers[0]["offer_id"],
            "document_id": doc["document_id"],
            "item_id": thumbed,  # dismiss takes the rating's item, so no call meets a closed one
            "rated_item_id": rated,
        }
        yield {
            "client": client,
            "ids": ids,
            "tokens": {
                "none": {},
                "bad": {"Authorization": "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln"},
                "expired": {"Authorization": f"Bearer {expired}"},
                "other": bob,
                "staff": staff,
            },
        }


def _request(method, route, ids):
    """Return (url, kwargs) for a valid call of `route` on alice's resources."""
    app_id = (
        ids["referred_id"] if route.startswith("/v1/staff/applications") else ids["application_id"]
    )
    item_id = ids["rated_item_id"] if route.endswith("/dismiss") else ids["item_id"]
    url = route.format(
        doc_id="gold-valuation" if method == "DELETE" else "late-fees",
        thread_id=ids["thread_id"],
        application_id=app_id,
        offer_id=ids["offer_id"],
        document_id=ids["document_id"],
        key="prompt_style",
        version=1,
        action="stop",
        run_id="r1",
        job_id="0123456789ab",
        item_id=item_id,
    )
    bodies = {
        "/v1/threads": {},
        "/v1/chat/{thread_id}": {"message": "hello"},
        "/v1/applications": application_body(),
        "/v1/applications/{application_id}/withdraw": {"reason": "changed my mind"},
        "/v1/applications/{application_id}/documents": {"name": "Government-issued photo ID"},
        "/v1/applications/{application_id}/offers/adjust": {"tenure_months": 36},
        "/v1/applications/{application_id}/offers/compare": {"offer_ids": [ids["offer_id"]]},
        "/v1/documents/uploads": {
            "kind": "identity",
            "filename": "a.png",
            "content_type": "image/png",
            "size_bytes": 100,
            "application_id": ids["application_id"],
        },
        "/v1/feedback/rating": {"rating": 5, "application_id": ids["application_id"]},
        "/v1/events/step": {"step": "loan", "session": "draft-0001"},
        "/v1/feedback/messages": {"thread_id": ids["thread_id"], "message_id": "m1", "thumb": "up"},
        "/v1/staff/applications/{application_id}/review": {"outcome": "approved", "note": "ok"},
        "/v1/staff/kb/documents": {"text": NEW_DOC},
        "/v1/staff/kb/documents/{doc_id}": {"text": UPDATED_LATE},
        "/v1/experiments/events": {"event": "offer_viewed"},
        "/v1/staff/threads/{thread_id}/eval-case": {"note": "quoted the wrong rate"},
        "/v1/staff/feedback-reviews/{item_id}/resolve": {"note": "handled"},
        "/v1/staff/feedback-reviews/{item_id}/dismiss": {},
        "/v1/staff/feedback-reviews/{item_id}/eval-case": {"note": "quoted the wrong rate"},
        "/v1/experiments": {"definition": EXPERIMENT.replace("prompt_style", "probe")},
        "/v1/staff/evals/jobs": {"suites": ["nope"]},
    }
    kwargs: dict[str, Any] = {}
    if route == "/v1/documents" and method == "POST":
        kwargs = {
            "files": {"file": ("x.png", PNG, "image/png")},
            "data": {"kind": "identity", "application_id": ids["application_id"]},
        }
    elif method in ("POST", "PUT"):
        kwargs = {"json": bodies.get(route)} if route in bodies else {}
    if route == "/v1/staff/kb/search":
        url += "?q=late+fee"
    if route == "/v1/staff/evals/compare":
        url += "?baseline=r1&candidate=r1"
    return url, kwargs


def test_matrix_covers_every_route():
    app = create_app(Settings(var_dir="/nonexistent-not-started"))
    routes = {(m.upper(), path) for path, ops in app.openapi()["paths"].items() for m in ops}
    assert routes == set(EXPECTED) | PUBLIC


@pytest.mark.parametrize("who", ["none", "bad", "expired", "other", "staff"])
@pytest.mark.parametrize(("method", "route"), sorted(EXPECTED))
def test_route_answers_the_right_status(world, who, method, route):
    url, kwargs = _request(method, route, world["ids"])
    r = world["client"].request(method, url, headers=world["tokens"][who], **kwargs)
    other, staff = EXPECTED[(method, route)]
    expected = {"none": 401, "bad": 401, "expired": 401, "other": other, "staff": staff}[who]
    assert r.status_code == expected, r.text
    assert (
        "Traceback" not in r.text
        and "usr_" not in r.text.replace(world["tokens"][who].get("Authorization", "-"), "")
        or route == "/v1/auth/me"
    )


@pytest.mark.parametrize(("method", "route"), sorted(PUBLIC))
def test_public_routes_need_no_token(world, method, route):
    kwargs: dict[str, Any] = {}
    if method == "POST":
        kwargs = {"json": {"email": "pub@example.com", "password": "correct-horse-1"}}
    r = world["client"].request(method, route, **kwargs)
    assert r.status_code in (200, 202, 401, 503)  # 401 = wrong password, 503 = not ready
    assert r.status_code != 401 or route == "/v1/auth/login"
