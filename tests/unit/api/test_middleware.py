"""The middleware stack: whose address the limits key on, OPTIONS, and the docs page."""

from __future__ import annotations

import pytest
from fastapi.staticfiles import StaticFiles
from fastapi.testclient import TestClient

from api.main import create_app
from tests.fakes.knowledge import FakeKnowledgeBase
from tests.fakes.scoring import RuleScorer


def _client(settings, **changes):
    app = create_app(
        settings.model_copy(update=changes), scorer=RuleScorer(), knowledge=FakeKnowledgeBase()
    )
    return app, TestClient(app)


def test_forged_forwarded_for_does_not_escape_the_ip_limit(settings):
    # Finding 4: with the limit at 50/min, 30 more requests with varied X-Forwarded-For passed.
    _, client = _client(settings, rate_limit_ip_per_minute=50)
    with client as c:
        codes = [
            c.get("/v1/auth/config", headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code
            for n in range(80)
        ]
    assert codes[:50] == [200] * 50 and set(codes[50:]) == {429}


def test_a_trusted_proxy_forwards_the_client_address(settings):
    # TestClient's peer is "testclient": trusted, its X-Forwarded-For names the real client.
    _, client = _client(settings, rate_limit_ip_per_minute=5, trusted_proxies=["testclient"])
    with client as c:
        first = [
            c.get("/v1/auth/config", headers={"X-Forwarded-For": "198.51.100.1"}).status_code
            for _ in range(6)
        ]
        other = c.get("/v1/auth/config", headers={"X-Forwarded-For": "198.51.100.2"})
    assert first == [200] * 5 + [429] and other.status_code == 200


def test_uvicorn_is_told_not_to_trust_forwarded_headers(monkeypatch):
    import uvicorn

    import api.main

    seen: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: seen.update(kw))
    api.main.run()
    assert seen["proxy_headers"] is False


@pytest.fixture
def ui_app(settings, tmp_path):
    """The app with a catch-all UI mount, as when the React build is served."""
    ui = tmp_path / "ui"
    ui.mkdir()
    (ui / "index.html").write_text("<html></html>")
    app, _ = _client(settings)
    app.mount("/", StaticFiles(directory=ui, html=True), name="ui")
    with TestClient(app) as c:
        yield c


def test_options_on_a_post_only_route_lists_its_real_methods(ui_app):
    # Finding 7: OPTIONS answered 405 with `Allow: GET, HEAD` from the static mount.
    r = ui_app.options("/v1/auth/login")
    assert r.status_code == 204
    assert {m.strip() for m in r.headers["Allow"].split(",")} == {"POST", "OPTIONS"}
    r = ui_app.options("/v1/threads")
    assert {m.strip() for m in r.headers["Allow"].split(",")} == {"GET", "POST", "OPTIONS"}


def test_cors_preflight_is_answered_for_the_ui_origin_only(ui_app):
    preflight = {"Access-Control-Request-Method": "POST"}
    ok = ui_app.options("/v1/auth/login", headers={"Origin": "http://127.0.0.1:8000", **preflight})
    assert ok.status_code == 200
    assert ok.headers["Access-Control-Allow-Origin"] == "http://127.0.0.1:8000"
    assert "POST" in ok.headers["Access-Control-Allow-Methods"]
    evil = ui_app.options("/v1/auth/login", headers={"Origin": "https://evil.example", **preflight})
    assert evil.status_code == 400 and "Access-Control-Allow-Origin" not in evil.headers


def test_docs_are_served_from_our_origin_with_the_csp(client):
    # Finding 7: /docs loaded its scripts from a CDN and dropped the Content-Security-Policy.
    page = client.get("/docs")
    assert page.status_code == 200
    csp = page.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "unsafe-eval" not in csp and "script-src" not in csp
    assert "http" not in page.text and "<script>" not in page.text  # no CDN, no inline script
    for asset in (
        "/docs/assets/swagger-ui-bundle.js",
        "/docs/assets/swagger-ui.css",
        "/docs/init.js",
    ):
        r = client.get(asset)
        assert r.status_code == 200 and len(r.content) > 100, asset
        assert asset in page.text or asset == "/docs/init.js" and "/docs/init.js" in page.text
    assert client.get("/redoc").status_code == 404
