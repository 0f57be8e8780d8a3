"""Eval runs for the staff API: the run folders under var/evals, and a background job runner.

One worker thread runs queued jobs one at a time (an eval run starts its own API and keeps
the cores busy; two at once would only slow both). Jobs live in memory; their runs live on
disk like the CLI's, so `loan-advisor eval compare` and the staff page see the same runs.
"""

from __future__ import annotations

import json
import queue
import threading
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from agent.experiments import DEFAULT_VARIANTS
from agent.providers import PROVIDERS
from api.routes.evals import (
    EvalChoices,
    EvalJobPublic,
    EvalRunSummary,
    EvalStart,
    EvalSuiteInfo,
    EvalSuiteRate,
)
from core.errors import NotFound, ValidationFailed
from evals.compare import compare_runs
from evals.report import build_report, render_html, report_charts
from evals.session import (
    DEFAULT_PROVIDER,
    ChoiceError,
    RunRequest,
    check_choices,
    execute,
    new_run_id,
)
from evals.suites import DATASETS, available, load


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class EvalJobs:
    """Implements the API's `EvalRuns` port over run folders in `out_root`."""

    def __init__(
        self,
        out_root: Path,
        *,
        prepare: Callable[[Path], object] | None = None,
        datasets: Path = DATASETS,
        concurrency: int = 2,
    ) -> None:
        """Serve runs from `out_root`; `prepare` readies the runtime dir (trains a model)."""
        self.out_root = out_root
        self.prepare = prepare
        self.datasets = datasets
        self.concurrency = concurrency
        self._jobs: dict[str, EvalJobPublic] = {}
        self._lock = threading.Lock()
        self._queue: queue.Queue[tuple[str, RunRequest]] = queue.Queue()
        self._worker = threading.Thread(target=self._work, name="eval-jobs", daemon=True)
        self._worker.start()

    # ---- reading runs ----
    def choices(self) -> EvalChoices:
        """Return the suites, prompt variants and providers a run may use."""
        suites = [
            EvalSuiteInfo(name=n, version=v[-1], cases=len(load(n, root=self.datasets).cases))
            for n, v in available(self.datasets).items()
        ]
        return EvalChoices(
            suites=suites,
            prompt_variants=[v.name for v in DEFAULT_VARIANTS],
            providers=list(PROVIDERS),
            default_provider=DEFAULT_PROVIDER,
        )

    def _run_dir(self, run_id: str) -> Path:
        folder = self.out_root / run_id
        if "/" in run_id or run_id.startswith(".") or not (folder / "meta.json").is_file():
            raise NotFound(f"no eval run {run_id!r}")
        return folder

    def runs(self) -> list[EvalRunSummary]:
        """Return every run, newest first, with its pass rates so far."""
        if not self.out_root.exists():
            return []
        metas = sorted(self.out_root.glob("*/meta.json"), key=lambda p: p.parent.name)
        return [_summary(p.parent) for p in reversed(metas)]

    def report(self, run_id: str) -> dict[str, Any]:
        """Return a finished run's report.json, or build one now for a run still going."""
        folder = self._run_dir(run_id)
        stored = folder / "report.json"
        if _complete(folder) and stored.exists():
            data: dict[str, Any] = json.loads(stored.read_text(encoding="utf-8"))
            return data
        return build_report(folder)

    def report_html(self, run_id: str) -> str:
        """Return report.html; a run still going (or killed) is rendered from what it has."""
        folder = self._run_dir(run_id)
        stored = folder / "report.html"
        if _complete(folder) and stored.exists():
            return stored.read_text(encoding="utf-8")
        report = build_report(folder)
        return render_html(folder, report, report_charts(report))

    def compare(self, baseline: str, candidate: str) -> dict[str, Any]:
        """Compare run `candidate` against run `baseline` (both under `out_root`)."""
        result = compare_runs(self._run_dir(baseline), self._run_dir(candidate))
        return {**result, "baseline": baseline, "candidate": candidate}

    # ---- starting runs ----
    def start(self, request: EvalStart) -> EvalJobPublic:
        """Check the choices, queue the run and return its job (422 naming the choices)."""
        job_id = uuid.uuid4().hex[:12]
        run = RunRequest(
            suites=list(dict.fromkeys(request.suites)),
            provider=request.provider or DEFAULT_PROVIDER,
            variant=request.prompt_variant,
            repeats=request.repeats,
            concurrency=self.concurrency,
            out_root=self.out_root,
            prepare=self.prepare,
            datasets=self.datasets,
            show_progress=False,
        )
        try:
            check_choices(run)
        except ChoiceError as exc:
            raise ValidationFailed(str(exc)) from exc
        run = replace(
            run, run_id=f"{new_run_id(run)}-{job_id[:4]}", on_progress=self._progress(job_id)
        )
        total = sum(len(load(n, root=self.datasets).cases) for n in run.suites) * run.repeats
        job = EvalJobPublic(
            job_id=job_id, run_id=str(run.run_id), state="queued", suites=list(run.suites),
            prompt_variant=run.variant, provider=run.provider, total=total, created=_now(),
        )  # fmt: skip
        with self._lock:
            self._jobs[job_id] = job
        self._queue.put((job_id, run))
        return job

    def job(self, job_id: str) -> EvalJobPublic:
        """Return a job's progress."""
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None:
            raise NotFound(f"no eval job {job_id!r}")
        return job

    def jobs(self) -> list[EvalJobPublic]:
        """Return this process's jobs, newest first."""
        with self._lock:
            return sorted(self._jobs.values(), key=lambda j: j.created, reverse=True)

    def _update(self, job_id: str, **changes: Any) -> None:
        with self._lock:
            self._jobs[job_id] = self._jobs[job_id].model_copy(update=changes)

    def _progress(self, job_id: str) -> Callable[[int, int, int], None]:
        def told(done: int, total: int, passed: int) -> None:
            self._update(job_id, done=done, total=total, passed=passed)

        return told

    def _work(self) -> None:
        """Run queued jobs one after another, for the life of the process."""
        while True:
            job_id, run = self._queue.get()
            self._update(job_id, state="running")
            try:
                execute(run)
            except Exception as exc:  # the job reports it; the worker must outlive one run
                self._update(job_id, state="failed", error=f"{type(exc).__name__}: {exc}",
                             finished=_now())  # fmt: skip
            else:
                self._update(job_id, state="done", finished=_now())


def _complete(folder: Path) -> bool:
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    return bool(meta.get("complete"))


def _summary(folder: Path) -> EvalRunSummary:
    """Summarise a run from its meta.json and (partial) report.json."""
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    summary: dict[str, Any] = {}
    report = folder / "report.json"
    if report.exists():
        try:
            summary = json.loads(report.read_text(encoding="utf-8")).get("summary") or {}
        except json.JSONDecodeError:
            summary = {}
    overall = summary.get("overall") or {}
    return EvalRunSummary(
        run_id=folder.name,
        started=meta.get("started"),
        provider=meta.get("provider"),
        prompt_variant=meta.get("prompt_variant"),
        complete=bool(meta.get("complete")),
        passed=int(overall.get("passed") or 0),
        total=int(overall.get("total") or 0),
        rate=overall.get("rate"),
        suites={
            n: EvalSuiteRate(passed=s["passed"], total=s["total"], rate=s.get("rate"))
            for n, s in (summary.get("suites") or {}).items()
        },
    )
