"""A setting that stops serving is one line naming it, exit code 2, and no traceback."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from cli.main import app
from core.config import get_settings


@pytest.fixture(autouse=True)
def fresh_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("LOAN_ADVISOR_VAR_DIR", str(tmp_path))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _serve_error(monkeypatch) -> str:
    import api.main

    def must_not_run() -> None:
        raise AssertionError("serve started despite the bad settings")

    monkeypatch.setattr(api.main, "run", must_not_run)
    result = CliRunner().invoke(app, ["serve"])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in result.output, result.output
    return lines[0]


def test_serve_in_aws_mode_without_cognito_names_the_setting(monkeypatch):
    monkeypatch.setenv("LOAN_ADVISOR_MODE", "aws")
    assert "LOAN_ADVISOR_COGNITO_ISSUER is not set" in _serve_error(monkeypatch)


def test_serve_refuses_a_placeholder_staff_password(monkeypatch):
    monkeypatch.setenv("LOAN_ADVISOR_STAFF_EMAIL", "staff@example.com")
    monkeypatch.setenv("LOAN_ADVISOR_STAFF_PASSWORD", "change-me")
    assert "LOAN_ADVISOR_STAFF_PASSWORD" in _serve_error(monkeypatch)
