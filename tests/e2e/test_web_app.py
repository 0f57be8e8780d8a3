"""Drive the built web app in Debian's Chromium against the real API on loopback.

The browser work lives in flows.mjs (playwright-core, axe-core); this wrapper starts and stops
the API with a temporary var dir and a free port, runs the flows at a phone and a desktop
size, and keeps the screenshots under test-artifacts/e2e/<size>/.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.integration.servers import api_server

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "frontend" / "dist" / "index.html"
PLAYWRIGHT = ROOT / "frontend" / "node_modules" / "playwright-core"
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
STAFF_EMAIL = "officer@example.com"
STAFF_PASSWORD = "e2e-staff-password"  # a throwaway account in a temporary var dir


def _missing() -> str | None:
    """Say what the e2e run lacks (built app, node packages, browser), or None."""
    if shutil.which("node") is None:
        return "node is not installed"
    if not DIST.exists():
        return "frontend/dist is not built (make frontend-build)"
    if not PLAYWRIGHT.exists():
        return "frontend node_modules missing (make frontend-deps)"
    if not CHROMIUM.exists():
        return "Debian chromium missing (make chromium)"
    return None


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A var dir with a small real champion model, shared by both viewports (trained once)."""
    from cli.scoring import ensure_champion

    path = tmp_path_factory.mktemp("e2e-var")
    ensure_champion(path, rows=2000)
    return path


@pytest.mark.e2e
@pytest.mark.slow
@pytest.mark.parametrize("viewport", ["390x844", "1440x900"])
def test_web_app_flows(var_dir: Path, viewport: str) -> None:
    missing = _missing()
    if missing:
        # `make test` sets LOAN_ADVISOR_E2E_REQUIRED so a missing prerequisite fails there.
        if os.environ.get("LOAN_ADVISOR_E2E_REQUIRED"):
            pytest.fail(missing)
        pytest.skip(missing)
    staff = {"LOAN_ADVISOR_STAFF_EMAIL": STAFF_EMAIL, "LOAN_ADVISOR_STAFF_PASSWORD": STAFF_PASSWORD}
    with api_server(var_dir, extra_env=staff) as base:
        proc = subprocess.run(
            ["node", str(Path(__file__).with_name("flows.mjs")), base, viewport, str(ARTIFACTS)],
            capture_output=True,
            text=True,
            timeout=300,
            env={
                **os.environ,
                "E2E_STAFF_EMAIL": STAFF_EMAIL,
                "E2E_STAFF_PASSWORD": STAFF_PASSWORD,
            },
        )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    result = json.loads(lines[-1]) if lines else {}
    print(json.dumps(result))  # noqa: T201 - the flow summary belongs in the test log
    assert proc.returncode == 0, f"{proc.stderr[-4000:]}\n{result}"
    assert result["flows"]["home"] == "passed"
    assert result["flows"]["chat negotiation"] == "passed"
    assert result["flows"]["conditional approval: documents before accept"] == "passed"
    assert result["flows"]["staff feedback review: eval case, resolve"] == "passed"
    assert result["pages_checked"] >= 2
    assert "failed" not in json.dumps(result["flows"])
