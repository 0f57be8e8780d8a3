"""`loan-advisor experiments ...` from YAML to an HTML report, with errors naming the field."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cli.main import app
from core.clock import SystemClock
from core.config import get_settings
from experiments.catalogue import DEFINITIONS_DIR
from experiments.store import build_experiment_store

runner = CliRunner()


@pytest.fixture(autouse=True)
def _var(tmp_path, monkeypatch):
    monkeypatch.setenv("LOAN_ADVISOR_VAR_DIR", str(tmp_path))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def run(*args: str):
    return runner.invoke(app, ["experiments", *args])


def test_create_start_report_stop(tmp_path):
    assert run("create", str(DEFINITIONS_DIR / "prompt_style_v1.yaml")).exit_code == 0
    assert "prompt_style/v1 is running" in run("start", "prompt_style").output
    listed = run("list")
    assert "prompt_style/v1" in listed.output and "running" in listed.output
    store = build_experiment_store(tmp_path / "experiments.sqlite", SystemClock())
    for i in range(6):
        store.expose("prompt_style/v1", f"u{i}", "AB"[i % 2])
    out = tmp_path / "reports" / "prompt_style.html"
    done = run("report", "prompt_style", "--html", str(out))
    assert done.exit_code == 0, done.output
    assert "keep_running" in done.output and "400 needed" in done.output
    page = out.read_text()
    assert "Decision: keep_running" in page and page.count("data:image/png;base64,") == 2
    as_json = run("analyse", "prompt_style", "--json")
    assert json.loads(as_json.output)["exposures"] == {"A": 3, "B": 3}
    assert "stopped" in run("stop", "prompt_style").output


def test_errors_name_the_field(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("key: x\nversion: 1\nsurface: prompt\narms: []\n")
    result = run("create", str(bad))
    assert result.exit_code == 2 and "arms" in result.output
    missing = run("start", "nope")
    assert missing.exit_code == 2 and "no experiment 'nope'" in missing.output
    run("create", str(DEFINITIONS_DIR / "chat_layout_v1.yaml"))
    assert run("stop", "chat_layout").exit_code == 2  # a draft cannot be stopped
