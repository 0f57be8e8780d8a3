"""The smoke script against the real app (in process) and against a broken deployment."""

from __future__ import annotations

import httpx
from fastapi.testclient import TestClient

from api.main import create_app
from core.config import Settings
from infra.smoke import main, run_checks
from tests.fakes.knowledge import FakeKnowledgeBase
from tests.fakes.scoring import RuleScorer


def test_the_checks_read_the_real_app(tmp_path):
    app = create_app(Settings(var_dir=tmp_path), scorer=RuleScorer(), knowledge=FakeKnowledgeBase())
    with TestClient(app) as client:
        checks = {c.name: c for c in run_checks(client)}
    assert checks["liveness"].ok
    assert checks["auth config"].ok
    assert checks["anonymous is refused"].ok, checks["anonymous is refused"].detail
    # The fake scorer has no champion model, so the real readiness probe says 503: the smoke
    # test must report that as a failure.
    assert not checks["readiness"].ok
    assert "503" in checks["readiness"].detail


def test_a_broken_deployment_fails_the_checks():
    def broken(request: httpx.Request) -> httpx.Response:
        return httpx.Response(502 if request.url.path != "/v1/applications" else 200)

    with httpx.Client(base_url="http://smoke.invalid", transport=httpx.MockTransport(broken)) as c:
        checks = run_checks(c, expect_ui=True)
    assert all(not c.ok for c in checks)


def test_an_unreachable_deployment_fails_without_raising():
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with httpx.Client(base_url="http://smoke.invalid", transport=httpx.MockTransport(refuse)) as c:
        checks = run_checks(c)
    assert all(not c.ok and "connection refused" in c.detail for c in checks)


def test_the_command_needs_a_base_url(capsys):
    import pytest

    with pytest.raises(SystemExit):
        main([])
    assert "base_url" in capsys.readouterr().err
