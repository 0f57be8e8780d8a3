"""A whole eval run: check the choices, start the API, run the jobs, write the report."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from agent.experiments import DEFAULT_VARIANTS
from agent.providers import PROVIDERS
from evals.runner import Job, RunOptions, load_results, result_key, run_jobs
from evals.server import eval_settings, serve_in_process
from evals.suites import DATASETS, SuiteError, available, digest, load, suite_path

DEFAULT_PROVIDER = "offline:advisor-v1"


class ChoiceError(ValueError):
    """An unknown suite, provider or prompt variant (the message names the choices)."""


@dataclass(frozen=True)
class RunRequest:
    """What staff asked to run."""

    suites: Sequence[str]
    provider: str = DEFAULT_PROVIDER
    variant: str | None = None
    repeats: int = 1
    concurrency: int = 4
    out_root: Path = Path("var/evals")
    runtime_dir: Path | None = None
    prepare: Callable[[Path], object] | None = None
    """Readies the runtime var dir (the CLI trains a champion model there when missing)."""
    resume: str | None = None
    baseline: Path | None = None
    datasets: Path = DATASETS


def check_choices(request: RunRequest) -> None:
    """Raise ChoiceError naming the valid choices for anything unknown."""
    suites = available(request.datasets)
    for name in request.suites:
        if name not in suites:
            raise ChoiceError(f"unknown suite {name!r}; choose from: {', '.join(suites)}")
    prefix = request.provider.partition(":")[0]
    if prefix not in PROVIDERS:
        raise ChoiceError(
            f"unknown provider {request.provider!r}; choose from: {', '.join(PROVIDERS)}"
            " (as provider:model)"
        )
    names = [v.name for v in DEFAULT_VARIANTS]
    if request.variant is not None and request.variant not in names:
        raise ChoiceError(f"unknown prompt variant {request.variant!r}; choose from: {names}")


def _git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True, timeout=10
        )
        return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def new_run_id(request: RunRequest) -> str:
    """Return a readable, sortable run id."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    variant = request.variant or "any"
    return f"{stamp}-{request.provider.partition(':')[0]}-{variant}"


def execute(request: RunRequest) -> Path:
    """Run the request and return the run folder (with report.json and report.html)."""
    from evals.report import write_reports
    from scoring.registry import champion_id

    check_choices(request)
    run_id = request.resume or new_run_id(request)
    run_dir = request.out_root / run_id
    run_dir.mkdir(parents=True, exist_ok=True)
    runtime = request.runtime_dir or request.out_root / "runtime"
    runtime.mkdir(parents=True, exist_ok=True)
    if request.prepare is not None:
        request.prepare(runtime)
    results_path = run_dir / "results.jsonl"
    meta_path = run_dir / "meta.json"
    suites = {name: load(name, root=request.datasets) for name in request.suites}
    meta: dict[str, Any] = {
        "run_id": run_id,
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "provider": request.provider,
        "prompt_variant": request.variant,
        "repeats": request.repeats,
        "concurrency": request.concurrency,
        "git_commit": _git_commit(),
        "scoring_model": champion_id(runtime),
        "suites": {
            n: {
                "version": s.version,
                "sha256": digest(suite_path(n, s.version, request.datasets)),
                "cases": len(s.cases),
            }
            for n, s in suites.items()
        },
    }
    if request.resume and meta_path.exists():
        meta = {**json.loads(meta_path.read_text()), "resumed": meta["started"]}
    meta_path.write_text(json.dumps(meta, indent=2))
    done = {result_key(r) for r in load_results(results_path)}
    options = RunOptions(
        run_id=run_id, variant=request.variant, concurrency=request.concurrency, done=done
    )
    jobs = [
        Job(n, c, k) for n, s in suites.items() for c in s.cases for k in range(request.repeats)
    ]
    started = datetime.now(UTC)
    try:
        with serve_in_process(eval_settings(runtime, request.provider)) as base:
            run_jobs(base, jobs, options, results_path)
        meta["complete"] = True
    finally:
        meta["wall_seconds"] = round((datetime.now(UTC) - started).total_seconds(), 2)
        meta_path.write_text(json.dumps(meta, indent=2))
        write_reports(run_dir, request.baseline)
    return run_dir


__all__ = ["ChoiceError", "RunRequest", "SuiteError", "check_choices", "execute"]
