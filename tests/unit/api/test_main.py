"""create_app refuses settings it cannot serve with: one line naming the setting, no traceback."""

from __future__ import annotations

import pytest

from api.main import create_app
from core.config import Settings


def test_create_app_in_aws_mode_without_cognito_exits_with_one_line(tmp_path):
    with pytest.raises(SystemExit) as exit_:
        create_app(Settings(var_dir=tmp_path, mode="aws"))
    message = str(exit_.value.code)
    assert message.startswith("loan-advisor: LOAN_ADVISOR_COGNITO_ISSUER is not set")
    assert "\n" not in message
    assert exit_.value.__cause__ is None and exit_.value.__suppress_context__


def test_create_app_in_aws_mode_names_the_next_missing_cognito_setting(tmp_path):
    settings = Settings(var_dir=tmp_path, mode="aws", cognito_issuer="https://idp.example")
    with pytest.raises(SystemExit, match="LOAN_ADVISOR_COGNITO_JWKS_URL is not set"):
        create_app(settings)


def _serve_with_two_workers(monkeypatch, tmp_path) -> None:
    from api.main import run
    from core.config import get_settings

    monkeypatch.setenv("LOAN_ADVISOR_API_WORKERS", "2")
    monkeypatch.setenv("LOAN_ADVISOR_VAR_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        run()
    finally:
        get_settings.cache_clear()


def test_serving_with_workers_gives_each_worker_a_socket_of_its_own(monkeypatch, tmp_path):
    # A shared socket let one worker accept a whole burst of keep-alive connections.
    from api import workers

    started = []

    class Recorded:
        def __init__(self, options, count, log_level):
            started.append((options, count, log_level))

        def run(self):
            return 0

    monkeypatch.setattr(workers, "Workers", Recorded)
    monkeypatch.setattr(workers, "supported", lambda: True)
    _serve_with_two_workers(monkeypatch, tmp_path)
    ((options, count, _),) = started
    assert options["app"] == "api.main:serve_app" and options["factory"] is True
    assert count == 2 and options["timeout_graceful_shutdown"] > 0
    assert options["proxy_headers"] is False and options["access_log"] is False


def test_a_worker_that_cannot_start_fails_the_command(monkeypatch, tmp_path):
    from api import workers

    class Failing:
        def __init__(self, *args):
            pass

        def run(self):
            return workers.STARTUP_FAILURE

    monkeypatch.setattr(workers, "Workers", Failing)
    monkeypatch.setattr(workers, "supported", lambda: True)
    with pytest.raises(SystemExit) as exit_:
        _serve_with_two_workers(monkeypatch, tmp_path)
    assert exit_.value.code == workers.STARTUP_FAILURE


def test_without_reuse_port_uvicorn_workers_get_time_to_boot(monkeypatch, tmp_path):
    # uvicorn replaces a worker that misses its 5 s default ping: on a busy machine every
    # worker was killed mid-start, forever.
    import uvicorn

    from api import workers

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.append((app, kwargs)))
    monkeypatch.setattr(workers, "supported", lambda: False)
    _serve_with_two_workers(monkeypatch, tmp_path)
    ((app, kwargs),) = calls
    assert app == "api.main:serve_app" and kwargs["factory"] is True
    assert kwargs["workers"] == 2
    assert kwargs["timeout_worker_healthcheck"] >= 30
