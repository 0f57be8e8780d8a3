"""Run suites against the real API: one simulated applicant per case, cases in parallel.

Results are appended to `results.jsonl` as each case finishes, so an interrupted run keeps
what it did and `--resume` skips those cases.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from evals.client import ApiError, ChatSession
from evals.evaluators import evaluate
from evals.schema import Case
from evals.simulator import Simulator
from evals.transcript import CaseResult, Transcript

PASSWORD = "eval-applicant-1"  # noqa: S105 - throwaway local accounts of an eval API


@dataclass(frozen=True)
class Job:
    """One conversation to hold: a case of a suite, for one repeat."""

    suite: str
    case: Case
    repeat: int = 0

    @property
    def key(self) -> str:
        """Return the id a result is stored and resumed under."""
        return f"{self.suite}/{self.case.id}#{self.repeat}"


@dataclass
class RunOptions:
    """What to run and how."""

    run_id: str
    variant: str | None = None
    concurrency: int = 4
    timeout: float = 120.0
    done: set[str] = field(default_factory=set)


def converse(base_url: str, job: Job, options: RunOptions) -> CaseResult:
    """Hold one simulated conversation over HTTP and check it."""
    started = time.perf_counter()
    transcript = Transcript(suite=job.suite, case_id=job.case.id)
    sim = Simulator(job.case)
    tag = hashlib.sha256(f"{options.run_id}/{job.key}".encode()).hexdigest()[:16]
    email = f"applicant-{tag}@evals.example.com"
    try:
        with ChatSession(base_url, timeout=options.timeout) as chat:
            chat.start(email, PASSWORD, options.variant)
            message: str | None = sim.opening()
            while message is not None and len(transcript.turns) < job.case.expect.max_turns:
                turn = chat.send(message)
                transcript.turns.append(turn)
                message = sim.next_message(turn)
        transcript.ended = sim.ended or ""
    except (ApiError, OSError, ValueError) as exc:  # httpx errors are OSError/ValueError kin
        transcript.error = f"{type(exc).__name__}: {exc}"
    return CaseResult(
        suite=job.suite,
        case_id=job.case.id,
        tags=job.case.tags,
        repeat=job.repeat,
        transcript=transcript,
        checks=evaluate(transcript, job.case),
        seconds=round(time.perf_counter() - started, 3),
    )


def load_results(path: Path) -> list[CaseResult]:
    """Read the results a (possibly interrupted) run has written so far."""
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            out.append(CaseResult.model_validate_json(line))
    return out


def result_key(result: CaseResult) -> str:
    """Return the job key of a stored result."""
    return f"{result.suite}/{result.case_id}#{result.repeat}"


def run_jobs(
    base_url: str, jobs: Iterable[Job], options: RunOptions, results_path: Path
) -> list[CaseResult]:
    """Run `jobs` (skipping those already done) with a progress bar; append each result."""
    todo = [j for j in jobs if j.key not in options.done]
    results: list[CaseResult] = []
    columns = (
        TextColumn("[cyan]eval[/cyan] {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("[green]{task.fields[passed]} passed"),
        TimeElapsedColumn(),
    )
    with (
        Progress(*columns) as progress,
        ThreadPoolExecutor(max_workers=options.concurrency) as pool,
        results_path.open("a", encoding="utf-8") as sink,
    ):
        task = progress.add_task(options.run_id, total=len(todo), passed=0)
        futures = [pool.submit(converse, base_url, job, options) for job in todo]
        passed = 0
        try:
            for future in as_completed(futures):
                result = future.result()
                results.append(result)
                sink.write(json.dumps(result.model_dump(mode="json")) + "\n")
                sink.flush()
                passed += result.passed
                progress.update(task, advance=1, passed=passed)
        except KeyboardInterrupt:
            for future in futures:
                future.cancel()
            raise
    return results
