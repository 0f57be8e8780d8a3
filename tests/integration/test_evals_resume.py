"""An eval run interrupted mid-way (Ctrl-C in a real process) leaves a readable partial report,
and `eval run --resume RUN_ID` runs only the cases it had not finished."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.integration

CASES = 40
IDS = [f"hello-{i:02d}" for i in range(CASES)]
SUITE = {
    "suite": "smoke",
    "version": 1,
    "cases": [
        {"id": i, "goal": "script", "opening": "hello", "script": ["what loans do you offer?"]}
        for i in IDS
    ],
}


def _eval(tmp: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "cli.main", "eval", "run", "--out", str(tmp / "runs"),
            "--datasets", str(tmp / "datasets"), "--champion-rows", "2000", *args]  # fmt: skip


def _ctrl_c_enabled() -> None:
    """Let the child take SIGINT: an xdist worker ignores it, and children inherit that."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _lines(path: Path) -> int:
    return len(path.read_text().splitlines()) if path.exists() else 0


def test_an_interrupted_run_is_reported_partially_and_resumed(tmp_path):
    (tmp_path / "datasets" / "smoke").mkdir(parents=True)
    (tmp_path / "datasets" / "smoke" / "v1.yaml").write_text(yaml.safe_dump(SUITE))
    log = (tmp_path / "first.log").open("wb")
    proc = subprocess.Popen(
        _eval(tmp_path, "-s", "smoke", "--concurrency", "1"), stdout=log, stderr=log,
        env={**os.environ, "COLUMNS": "200"}, preexec_fn=_ctrl_c_enabled,
    )  # fmt: skip
    deadline = time.monotonic() + 300
    results: Path | None = None
    while time.monotonic() < deadline and proc.poll() is None:
        found = list((tmp_path / "runs").glob("*/results.jsonl"))
        if found and _lines(found[0]) >= 2:
            results = found[0]
            break
        time.sleep(0.05)
    assert results is not None, (tmp_path / "first.log").read_text()[-2000:]
    proc.send_signal(signal.SIGINT)  # what Ctrl-C sends
    proc.wait(timeout=120)
    log.close()
    run_dir = results.parent
    done_before = _lines(results)
    assert 2 <= done_before < CASES, "the run finished before it could be interrupted"

    report = json.loads((run_dir / "report.json").read_text())
    assert report["partial"] is True and len(report["cases"]) == done_before
    assert report["summary"]["suites"]["smoke"]["total"] == done_before
    html = (run_dir / "report.html").read_text()
    assert "Partial run" in html and f"--resume {run_dir.name}" in html
    assert json.loads((run_dir / "meta.json").read_text())["complete"] is False

    # No -s: a resumed run takes its suites from the run it finishes.
    again = subprocess.run(
        _eval(tmp_path, "--resume", run_dir.name), capture_output=True, text=True, timeout=600
    )
    assert again.returncode == 0, again.stdout[-2000:] + again.stderr[-2000:]
    keys = [json.loads(line)["case_id"] for line in results.read_text().splitlines()]
    assert sorted(keys) == IDS  # each case exactly once
    report = json.loads((run_dir / "report.json").read_text())
    assert report["partial"] is False and len(report["cases"]) == CASES
    assert "Partial run" not in (run_dir / "report.html").read_text()

    unknown = subprocess.run(_eval(tmp_path, "--resume", "nope"), capture_output=True, text=True)
    assert unknown.returncode == 2 and "no run 'nope'" in unknown.stdout
