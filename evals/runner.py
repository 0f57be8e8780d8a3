"""Run suites against the real API: one simulated applicant per case, cases in parallel.

Results are appended to `results.jsonl` as each case finishes, so an interrupted run keeps
what it did and `--resume` skips those cases.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from evals.client import ApiError, ChatSession
from evals.evaluators import evaluate
from evals.schema import Case
from evals.simulator import ApplicantSimulator, Simulator
from evals.transcript import CaseResult, Check, Transcript

log = logging.getLogger(__name__)
SimulatorFactory = Callable[[Case], ApplicantSimulator]
"""Builds the applicant for one case (the deterministic persona unless an LLM is configured)."""
Judge = Callable[[Transcript, Case], Check | None]
"""An extra evaluator that may call a model (the LLM judge); deterministic ones are built in."""
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
    simulator: SimulatorFactory = Simulator
    judges: Sequence[Judge] = ()
    on_result: Callable[[CaseResult, int, int], None] | None = None
    """Called after each stored result with (result, finished so far, jobs to run)."""
    show_progress: bool = True


def converse(base_url: str, job: Job, options: RunOptions) -> CaseResult:
    """Hold one simulated conversation over HTTP and check it."""
    started = time.perf_counter()
    transcript = Transcript(suite=job.suite, case_id=job.case.id)
    sim = options.simulator(job.case)
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
        checks=evaluate(transcript, job.case) + _judged(transcript, job.case, options.judges),
        seconds=round(time.perf_counter() - started, 3),
    )


def _judged(transcript: Transcript, case: Case, judges: Sequence[Judge]) -> list[Check]:
    """Run the optional judges; a judge that cannot answer is a failed check, not a crash."""
    out = []
    for judge in judges:
        try:
            check = judge(transcript, case)
        except Exception as exc:  # a model's outage must not lose the deterministic verdicts
            check = Check(evaluator=getattr(judge, "name", "judge"), passed=False,
                          detail=f"the judge failed: {type(exc).__name__}: {exc}")  # fmt: skip
        if check is not None:
            out.append(check)
    return out


def load_results(path: Path) -> list[CaseResult]:
    """Read the results a (possibly interrupted) run has written so far.

    A run killed while writing leaves a torn last line; it is skipped (that case is simply
    run again on resume), so a partial run always has a readable report.
    """
    if not path.exists():
        return []
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append(CaseResult.model_validate_json(line))
        except ValidationError:
            log.warning("skipping unreadable line %d of %s (an interrupted write)", number, path)
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
    _end_torn_line(results_path)
    with (
        Progress(*columns, disable=not options.show_progress) as progress,
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
                if options.on_result is not None:
                    options.on_result(result, len(results), len(todo))
        except KeyboardInterrupt:
            for future in futures:
                future.cancel()
            raise
    return results


def _end_torn_line(path: Path) -> None:
    """Start appends on a fresh line when a killed run left its last line unterminated."""
    if path.exists() and path.stat().st_size:
        with path.open("rb") as fh:
            fh.seek(-1, 2)
            torn = fh.read(1) != b"\n"
        if torn:
            with path.open("a", encoding="utf-8") as fh:
                fh.write("\n")
