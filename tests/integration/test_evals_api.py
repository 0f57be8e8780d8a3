"""The staff eval API on a real server (`loan-advisor serve`): start a run, watch it, read it.

The run itself starts a second API in the server's process, as `eval run` does, and lands in
var/evals like the CLI's runs.
"""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.integration.servers import free_port, running

pytestmark = pytest.mark.integration

STAFF = {"email": "staff@example.com", "password": "staff-password-1"}
APPLICANT = {"email": "someone@example.com", "password": "applicant-password-1"}
SUITE = "fairness"


@contextmanager
def _serve(var_dir: Path, env: dict[str, str]) -> Iterator[str]:
    """Run `loan-advisor serve` (the composition that hands the API its eval runner).

    The first start builds the knowledge-base index; on a loaded machine that alone can take
    minutes, hence the long start-up allowance.
    """
    port = free_port()
    env = {**env, "LOAN_ADVISOR_VAR_DIR": str(var_dir), "LOAN_ADVISOR_PORT": str(port)}
    cmd = [sys.executable, "-m", "cli.main", "serve"]
    ready = f"http://127.0.0.1:{port}/healthz"
    with running(cmd, ready, env=env, log=var_dir / "server.log", timeout=400):
        yield f"http://127.0.0.1:{port}"


def _login(http: httpx.Client, creds: dict[str, str]) -> dict[str, str]:
    r = http.post("/v1/auth/login", json=creds)
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _wait_done(http: httpx.Client, staff: dict[str, str], job_id: str) -> tuple[dict, set[int]]:
    """Poll the job until it ends; return it and the case counts seen while it ran."""
    deadline = time.monotonic() + 600
    seen: set[int] = set()
    while time.monotonic() < deadline:
        job = http.get(f"/v1/staff/evals/jobs/{job_id}", headers=staff).json()
        if job["state"] in ("done", "failed"):
            return job, seen
        if job["state"] == "running":
            seen.add(job["done"])
        time.sleep(0.1)
    raise AssertionError(f"the eval job did not finish: {job}")


def test_staff_start_watch_read_and_compare_eval_runs(tmp_path):
    from cli.scoring import ensure_champion

    ensure_champion(tmp_path, rows=2000)
    # The eval run's own API gets the same model (so the job does not train one).
    shutil.copytree(tmp_path / "models", tmp_path / "evals" / "runtime" / "models")
    env = {
        "LOAN_ADVISOR_STAFF_EMAIL": STAFF["email"],
        "LOAN_ADVISOR_STAFF_PASSWORD": STAFF["password"],
    }
    with _serve(tmp_path, env) as base, httpx.Client(base_url=base, timeout=60) as http:
        assert http.get("/v1/staff/evals/runs").status_code == 401
        http.post("/v1/auth/signup", json=APPLICANT)
        applicant = _login(http, APPLICANT)
        assert http.get("/v1/staff/evals/runs", headers=applicant).status_code == 403
        staff = _login(http, STAFF)
        assert http.get("/v1/staff/evals/runs", headers=staff).json() == []

        choices = http.get("/v1/staff/evals/choices", headers=staff).json()
        assert SUITE in {s["name"] for s in choices["suites"]}
        assert choices["prompt_variants"] == ["A", "B"]
        bad = http.post("/v1/staff/evals/jobs", json={"suites": ["nope"]}, headers=staff)
        assert bad.status_code == 422
        assert "unknown suite 'nope'; choose from: " in bad.json()["detail"]
        assert SUITE in bad.json()["detail"]
        bad = http.post(
            "/v1/staff/evals/jobs", json={"suites": [SUITE], "prompt_variant": "Z"}, headers=staff
        )
        assert bad.status_code == 422 and "unknown prompt variant 'Z'" in bad.json()["detail"]

        started = http.post(
            "/v1/staff/evals/jobs", json={"suites": [SUITE], "prompt_variant": "A"}, headers=staff
        )
        assert started.status_code == 202, started.text
        job = started.json()
        assert job["state"] in ("queued", "running") and job["total"] > 0
        job, seen = _wait_done(http, staff, job["job_id"])
        assert job["state"] == "done", job
        assert job["done"] == job["total"] and 0 <= job["passed"] <= job["total"]
        assert any(0 < n < job["total"] for n in seen), seen  # progress showed while it ran
        run_id = job["run_id"]
        assert (tmp_path / "evals" / run_id / "report.html").exists()  # where the CLI puts runs

        runs = http.get("/v1/staff/evals/runs", headers=staff).json()
        assert [r["run_id"] for r in runs] == [run_id] and runs[0]["complete"]
        assert runs[0]["suites"][SUITE]["total"] == job["total"]
        report = http.get(f"/v1/staff/evals/runs/{run_id}", headers=staff).json()
        assert report["partial"] is False and report["meta"]["prompt_variant"] == "A"
        assert report["summary"]["suites"][SUITE]["passed"] == job["passed"]
        html = http.get(f"/v1/staff/evals/runs/{run_id}/report.html", headers=staff)
        assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
        assert f"Eval run {run_id}" in html.text
        assert http.get("/v1/staff/evals/runs/nope", headers=staff).status_code == 404
        assert http.get("/v1/staff/evals/runs/..", headers=staff).status_code == 404

        shutil.copytree(tmp_path / "evals" / run_id, tmp_path / "evals" / "copy-of-run")
        same = http.get(
            "/v1/staff/evals/compare",
            params={"baseline": run_id, "candidate": "copy-of-run"},
            headers=staff,
        ).json()
        assert same["broke"] == [] and same["fixed"] == []
        assert same["overall"]["cases"] == job["total"] and same["overall"]["mcnemar_p"] == 1.0
        missing = http.get(
            "/v1/staff/evals/compare", params={"baseline": run_id, "candidate": "nope"},
            headers=staff,
        )  # fmt: skip
        assert missing.status_code == 404
        jobs = http.get("/v1/staff/evals/jobs", headers=staff).json()
        assert [j["job_id"] for j in jobs] == [job["job_id"]]
