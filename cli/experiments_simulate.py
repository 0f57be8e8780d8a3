"""`loan-advisor experiments simulate KEY`: N simulated applicants through the API, then the report.

The pipeline end to end on one machine: the real API is served in this process on loopback
(the evals harness's server), a staff account creates and starts the experiment from its YAML,
and each simulated user (the evals applicant simulator, cycling through a suite's personas)
signs up and holds a whole conversation. The arm a user lands in, their exposure and their
outcomes (submitted, accepted, handover) are recorded by the API exactly as for real users; the
report is the staff results endpoint's answer. It runs in its own var dir, never the service's.
"""

from __future__ import annotations

import itertools
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
from pydantic import SecretStr

from cli.groups import experiments_app
from core.config import get_settings

DEFINITIONS = Path(__file__).resolve().parents[1] / "experiments" / "definitions"
STAFF_EMAIL = "simulation-staff@example.com"
STAFF_PASSWORD = "simulation-staff-pass-1"  # noqa: S105 - a throwaway local account


def _prepare(var_dir: Path) -> None:
    """Copy the service's model registry and KB files (or train a model when there is none)."""
    from cli.scoring import ensure_champion

    source = get_settings().var_dir
    for name in ("models", "kb.sqlite", "kb_embeddings.npz", "kb_index"):
        src, dst = source / name, var_dir / name
        if src.exists() and not dst.exists():
            (shutil.copytree if src.is_dir() else shutil.copy2)(src, dst)
    ensure_champion(var_dir, rows=2000)


def _staff(http: httpx.Client) -> dict[str, str]:
    r = http.post("/v1/auth/login", json={"email": STAFF_EMAIL, "password": STAFF_PASSWORD})
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _start(http: httpx.Client, staff: dict[str, str], definition: str) -> tuple[str, int]:
    made = http.post("/v1/experiments", json={"definition": definition}, headers=staff)
    made.raise_for_status()
    d = made.json()["definition"]
    url = f"/v1/experiments/{d['key']}/versions/{d['version']}/start"
    http.post(url, headers=staff).raise_for_status()
    return str(d["key"]), int(d["version"])


def simulate(
    definition: str, users: int, suite: str, var_dir: Path, *, concurrency: int = 2
) -> dict[str, Any]:
    """Run `users` simulated conversations under the experiment; return the staff results."""
    from evals.runner import Job, RunOptions, converse
    from evals.server import eval_settings, serve_in_process
    from evals.suites import load

    var_dir.mkdir(parents=True, exist_ok=True)
    _prepare(var_dir)
    settings = eval_settings(var_dir, "offline:advisor-v1").model_copy(
        update={"staff_email": STAFF_EMAIL, "staff_password": SecretStr(STAFF_PASSWORD)}
    )
    cases = load(suite).cases
    with serve_in_process(settings) as base, httpx.Client(base_url=base, timeout=120) as http:
        staff = _staff(http)
        key, version = _start(http, staff, definition)
        options = RunOptions(run_id=f"sim-{key}-v{version}", concurrency=concurrency)
        jobs = [Job(suite, c, i) for i, c in zip(range(users), itertools.cycle(cases))]
        with ThreadPoolExecutor(concurrency) as pool:
            done = list(pool.map(lambda j: converse(base, j, options), jobs))
        results = http.get(
            f"/v1/experiments/{key}/results", params={"version": version}, headers=staff
        )
        results.raise_for_status()
    report: dict[str, Any] = results.json()
    report["conversations"] = len(done)
    report["conversation_errors"] = sum(1 for r in done if r.transcript.error)
    return report


@experiments_app.command("simulate")
def simulate_cmd(
    key: Annotated[str, typer.Argument(help="a definition in experiments/definitions/")],
    users: Annotated[int, typer.Option(min=2, max=5000, help="simulated applicants")] = 40,
    suite: Annotated[str, typer.Option(help="evals suite whose personas are cycled")] = (
        "happy_path"
    ),
    var_dir: Annotated[Path | None, typer.Option(help="runtime dir (default var/simulations)")] = (
        None
    ),
    as_json: Annotated[bool, typer.Option("--json", help="print the result as JSON")] = False,
) -> None:
    """Drive N simulated applicants through the API under a running experiment; report it."""
    import json

    from cli.experiments import print_result
    from experiments.analysis import ExperimentResult

    path = DEFINITIONS / f"{key}_v1.yaml"
    if not path.is_file():
        known = ", ".join(sorted(p.stem.removesuffix("_v1") for p in DEFINITIONS.glob("*.yaml")))
        raise typer.BadParameter(f"no definition {path.name}; choose from: {known}")
    runtime = var_dir or get_settings().var_dir / "simulations" / key
    if runtime.exists():
        shutil.rmtree(runtime)  # a fresh store each run: one experiment, these users only
    report = simulate(path.read_text(encoding="utf-8"), users, suite, runtime)
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    extra = {k: report.pop(k) for k in ("conversations", "conversation_errors")}
    print_result(ExperimentResult.model_validate(report))
    typer.echo(f"{extra['conversations']} conversations, {extra['conversation_errors']} errors")
