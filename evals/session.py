"""A whole eval run: check the choices, start the API, run the jobs, write the report."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from agent.experiments import DEFAULT_VARIANTS
from agent.providers import PROVIDERS
from evals.runner import (
    Job,
    Judge,
    RunOptions,
    SimulatorFactory,
    load_results,
    result_key,
    run_jobs,
)
from evals.server import eval_settings, serve_in_process
from evals.simulator import Simulator
from evals.suites import DATASETS, SuiteError, available, digest, load, suite_path
from evals.transcript import CaseResult

DEFAULT_PROVIDER = "offline:advisor-v1"
_T = TypeVar("_T")
PARTIAL_REPORT_EVERY = 2.0
"""Seconds between rewrites of a running run's report.json (readable if the run is killed)."""
Progress = Callable[[int, int, int], None]
"""Told (cases finished, cases in the run, cases passed) after every case."""


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
    run_id: str | None = None
    """Chosen up front by a caller that must name the run before it starts (the staff API)."""
    simulator: SimulatorFactory = Simulator
    judges: Sequence[Judge] = ()
    on_progress: Progress | None = None
    show_progress: bool = True
    limit_per_suite: int | None = None
    """Run only this many cases of each suite, spread evenly over it (for a slow provider)."""


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


def sample(cases: Sequence[_T], limit: int | None) -> list[_T]:
    """Return `limit` cases spread evenly over `cases` (all of them when `limit` is None).

    Evenly spaced rather than the first ones: a suite file groups similar cases together
    (one persona's variants in a row), so its head would over-weight one kind of case.
    """
    if limit is None or limit >= len(cases):
        return list(cases)
    return [cases[i * len(cases) // limit] for i in range(limit)]


def plan_jobs(request: RunRequest) -> list[Job]:
    """Return the run's jobs: each suite's (sampled) cases, once per repeat."""
    return [
        Job(n, c, k)
        for n in request.suites
        for c in sample(load(n, root=request.datasets).cases, request.limit_per_suite)
        for k in range(request.repeats)
    ]


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


def resumed(request: RunRequest) -> RunRequest:
    """Return `request` with the suites, provider, variant and repeats of the run it resumes.

    A resumed run finishes what it started: the command line's suite choice is not mixed in,
    and a suite file that changed since would mix two versions in one report, so it refuses.
    """
    assert request.resume is not None
    meta_path = request.out_root / request.resume / "meta.json"
    if not meta_path.exists():
        runs = sorted(p.parent.name for p in request.out_root.glob("*/meta.json"))
        raise ChoiceError(
            f"no run {request.resume!r} in {request.out_root}; runs: {', '.join(runs) or 'none'}"
        )
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    suites: dict[str, dict[str, Any]] = meta.get("suites") or {}
    for name, info in suites.items():
        path = suite_path(name, info.get("version"), request.datasets)
        if info.get("sha256") and digest(path) != info["sha256"]:
            raise ChoiceError(f"suite {name!r} changed since run {request.resume} started; "
                              "start a new run instead of resuming")  # fmt: skip
    return replace(
        request,
        suites=list(suites) or list(request.suites),
        provider=meta.get("provider") or request.provider,
        variant=meta.get("prompt_variant"),
        repeats=int(meta.get("repeats") or request.repeats),
        limit_per_suite=meta.get("limit_per_suite"),
    )


def _meta(request: RunRequest, run_id: str, runtime: Path) -> dict[str, Any]:
    """Return what a run records about itself: choices, versions, commit, scoring model."""
    from scoring.registry import champion_id

    suites = {name: load(name, root=request.datasets) for name in request.suites}
    return {
        "run_id": run_id,
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "provider": request.provider,
        "prompt_variant": request.variant,
        "repeats": request.repeats,
        "limit_per_suite": request.limit_per_suite,
        "concurrency": request.concurrency,
        "simulator": getattr(request.simulator, "label", "deterministic"),
        "judges": [getattr(j, "name", "judge") for j in request.judges],
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


def _partial_reporter(run_dir: Path, request: RunRequest, done: int, total: int) -> Any:
    """Return the per-case callback: progress to the caller, report.json every few seconds."""
    from evals.report import write_json_report

    state = {"written": time.monotonic(), "passed": 0}

    def on_result(result: CaseResult, finished: int, _todo: int) -> None:
        state["passed"] += result.passed
        if request.on_progress is not None:
            request.on_progress(done + finished, total, int(state["passed"]))
        if time.monotonic() - state["written"] >= PARTIAL_REPORT_EVERY:
            write_json_report(run_dir)
            state["written"] = time.monotonic()

    return on_result


def execute(request: RunRequest) -> Path:
    """Run the request and return the run folder (with report.json and report.html)."""
    from evals.report import write_reports

    if request.resume:
        request = resumed(request)
    check_choices(request)
    run_id = request.resume or request.run_id or new_run_id(request)
    run_dir = request.out_root / run_id
    run_dir.mkdir(parents=True, exist_ok=True)
    runtime = request.runtime_dir or request.out_root / "runtime"
    runtime.mkdir(parents=True, exist_ok=True)
    if request.prepare is not None:
        request.prepare(runtime)
    results_path, meta_path = run_dir / "results.jsonl", run_dir / "meta.json"
    meta = _meta(request, run_id, runtime)
    if request.resume and meta_path.exists():
        meta = {**json.loads(meta_path.read_text()), "resumed": meta["started"]}
    meta["complete"] = False
    meta_path.write_text(json.dumps(meta, indent=2))
    done = {result_key(r) for r in load_results(results_path)}
    jobs = plan_jobs(request)
    options = RunOptions(
        run_id=run_id, variant=request.variant, concurrency=request.concurrency, done=done,
        simulator=request.simulator, judges=request.judges, show_progress=request.show_progress,
        on_result=_partial_reporter(run_dir, request, len(done & {j.key for j in jobs}), len(jobs)),
    )  # fmt: skip
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


__all__ = [
    "ChoiceError", "RunRequest", "SuiteError", "check_choices", "execute", "plan_jobs", "resumed",
    "sample",
]  # fmt: skip
