"""The deploy pipeline's smoke script against the real API served on loopback, as `make run` does.

CI runs `python -m infra.smoke <url> --expect-ui` against staging and prod after each deploy;
here the same command runs against `loan-advisor serve` on a free port (uvicorn, embedded
defaults, a small real champion model so the readiness probe can pass), and against a port
nobody listens on, which must fail.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.integration.servers import free_port, running

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A var dir with a small real champion model (what `make run`'s prepare step leaves)."""
    from cli.scoring import ensure_champion

    path = tmp_path_factory.mktemp("smoke-var")
    ensure_champion(path, rows=2000)
    return path


@contextmanager
def _serve(var_dir: Path) -> Iterator[str]:
    """`loan-advisor serve` on a free port; its log is quoted if it never answers.

    A first start indexes the knowledge base, which on a busy 2-core machine can take longer
    than `servers.api_server`'s 90 s, hence the own wait.
    """
    port = free_port()
    env = {"LOAN_ADVISOR_VAR_DIR": str(var_dir), "LOAN_ADVISOR_PORT": str(port)}
    log = var_dir / "server.log"
    cmd = [sys.executable, "-m", "cli.main", "serve"]
    try:
        with running(cmd, f"http://127.0.0.1:{port}/healthz", env=env, log=log, timeout=300):
            yield f"http://127.0.0.1:{port}"
    except (TimeoutError, RuntimeError) as exc:
        tail = log.read_text(errors="replace")[-3000:] if log.exists() else "(no log)"
        raise AssertionError(f"{exc}\n{tail}") from exc


def _smoke(base_url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "infra.smoke", base_url, "--expect-ui", "--timeout", "30"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_smoke_script_passes_against_the_local_server(var_dir: Path) -> None:
    with _serve(var_dir) as base_url:
        result = _smoke(base_url)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 5 and all(line.startswith("PASS") for line in lines), lines
    assert any("GET /v1/applications -> 401" in line for line in lines), lines


def test_the_smoke_script_fails_when_nothing_answers() -> None:
    result = _smoke(f"http://127.0.0.1:{free_port()}")
    assert result.returncode == 1
    assert result.stdout.count("FAIL") == 5, result.stdout
