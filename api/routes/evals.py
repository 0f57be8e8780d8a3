"""Staff only: eval runs — list them, read a report, compare two, start one in the background.

The harness (`evals/`) sits above the API on purpose: it drives the API over HTTP like any
client. So these routes reach it only through the `EvalRuns` port below; the edge that
composes the process (`loan-advisor serve`) hands the API an implementation
(`evals.jobs.EvalJobs`). An app built without one (tests, Lambda) answers 503.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Protocol

from fastapi import APIRouter, Depends, Path, Query, Request, status
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field

from api.deps import staff_user
from core.errors import UpstreamUnavailable

# Every route is staff only: the router checks the role before anything else runs.
router = APIRouter(prefix="/v1/staff/evals", tags=["staff"], dependencies=[Depends(staff_user)])
NAME = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$"
RunId = Annotated[str, Path(pattern=NAME, description="a run folder under var/evals")]
JobId = Annotated[str, Path(pattern=r"^[a-f0-9]{8,32}$")]
JobState = Literal["queued", "running", "done", "failed"]


class EvalSuiteInfo(BaseModel):
    """A suite staff can run."""

    name: str
    version: int
    cases: int


class EvalChoices(BaseModel):
    """What a run can be made of: suites, prompt variants, providers."""

    suites: list[EvalSuiteInfo]
    prompt_variants: list[str]
    providers: list[str] = Field(description="provider prefixes; a run names provider:model")
    default_provider: str


class EvalSuiteRate(BaseModel):
    """One suite's pass rate in a run."""

    passed: int
    total: int
    rate: float | None


class EvalRunSummary(BaseModel):
    """One run as listed: who ran what, and how it went so far."""

    run_id: str
    started: str | None = None
    provider: str | None = None
    prompt_variant: str | None = None
    complete: bool
    passed: int = 0
    total: int = 0
    rate: float | None = None
    suites: dict[str, EvalSuiteRate] = Field(default_factory=dict)


class EvalStart(BaseModel):
    """A run to start: suites against a prompt variant (and optionally another provider)."""

    model_config = ConfigDict(extra="forbid")

    suites: list[Annotated[str, Field(pattern=NAME)]] = Field(min_length=1, max_length=20)
    prompt_variant: str | None = Field(None, max_length=40, description="None: as assigned")
    provider: str | None = Field(None, max_length=200, description="provider:model")
    repeats: int = Field(1, ge=1, le=5)


class EvalJobPublic(BaseModel):
    """A started run's progress."""

    job_id: str
    run_id: str
    state: JobState
    suites: list[str]
    prompt_variant: str | None
    provider: str
    done: int = 0
    total: int = 0
    passed: int = 0
    error: str | None = None
    created: str
    finished: str | None = None


class EvalRuns(Protocol):
    """What the routes need from the harness (implemented by `evals.jobs.EvalJobs`).

    Unknown runs and jobs raise `core.errors.NotFound`; an unknown suite, provider or prompt
    variant raises `core.errors.ValidationFailed` naming the choices.
    """

    def choices(self) -> EvalChoices:
        """Return the suites, prompt variants and providers a run may use."""
        ...

    def runs(self) -> list[EvalRunSummary]:
        """Return every run, newest first."""
        ...

    def report(self, run_id: str) -> dict[str, Any]:
        """Return a run's report.json data (built now for a run still going)."""
        ...

    def report_html(self, run_id: str) -> str:
        """Return a run's self-contained report.html."""
        ...

    def compare(self, baseline: str, candidate: str) -> dict[str, Any]:
        """Return the case-by-case comparison of two runs."""
        ...

    def start(self, request: EvalStart) -> EvalJobPublic:
        """Queue a run and return its job at once."""
        ...

    def job(self, job_id: str) -> EvalJobPublic:
        """Return a job's progress."""
        ...

    def jobs(self) -> list[EvalJobPublic]:
        """Return the jobs of this process, newest first."""
        ...


def eval_runs(request: Request) -> EvalRuns:
    """Return the harness the edge handed the app, or 503 when there is none."""
    runs: EvalRuns | None = getattr(request.app.state, "eval_runs", None)
    if runs is None:
        raise UpstreamUnavailable(
            "eval runs are not available in this process; start the API with `loan-advisor serve`"
        )
    return runs


EvalRunsDep = Annotated[EvalRuns, Depends(eval_runs)]


@router.get("/choices", response_model=EvalChoices, operation_id="evalChoices")
def choices(runs: EvalRunsDep) -> Any:
    """List the suites (with versions and case counts), prompt variants and providers."""
    return runs.choices()


@router.get("/runs", response_model=list[EvalRunSummary], operation_id="listEvalRuns")
def list_runs(runs: EvalRunsDep) -> Any:
    """List eval runs under var/evals, newest first, with their pass rates so far."""
    return runs.runs()


@router.get("/runs/{run_id}", operation_id="evalRunReport", response_model=dict[str, Any])
def run_report(run_id: RunId, runs: EvalRunsDep) -> Any:
    """Return a run's report (summary, per-case checks; `partial` while it is going)."""
    return runs.report(run_id)


@router.get(
    "/runs/{run_id}/report.html",
    response_class=HTMLResponse,
    operation_id="evalRunReportHtml",
    responses={200: {"content": {"text/html": {}}, "description": "the self-contained report"}},
)
def run_report_html(run_id: RunId, runs: EvalRunsDep) -> HTMLResponse:
    """Return a run's report.html (charts inline, every transcript, failing checks in red)."""
    html = runs.report_html(run_id)
    # The report is ours but shows what applicants and the advisor typed: no scripts run.
    return HTMLResponse(html, headers={"Content-Security-Policy": "script-src 'none'"})


@router.get("/compare", operation_id="compareEvalRuns", response_model=dict[str, Any])
def compare(
    runs: EvalRunsDep,
    baseline: Annotated[str, Query(pattern=NAME)],
    candidate: Annotated[str, Query(pattern=NAME)],
) -> Any:
    """Compare run `candidate` against run `baseline`: flipped cases, McNemar p, intervals."""
    return runs.compare(baseline, candidate)


@router.post(
    "/jobs",
    response_model=EvalJobPublic,
    status_code=status.HTTP_202_ACCEPTED,
    operation_id="startEvalRun",
    responses={422: {"description": "an unknown suite, provider or prompt variant"}},
)
def start(body: EvalStart, runs: EvalRunsDep) -> Any:
    """Start a run of the chosen suites in the background; poll its job for progress."""
    return runs.start(body)


@router.get("/jobs", response_model=list[EvalJobPublic], operation_id="listEvalJobs")
def jobs(runs: EvalRunsDep) -> Any:
    """List the runs started through the API since it started, newest first."""
    return runs.jobs()


@router.get("/jobs/{job_id}", response_model=EvalJobPublic, operation_id="evalJob")
def job(job_id: JobId, runs: EvalRunsDep) -> Any:
    """Return a started run's progress: cases done of total, passed, state, error."""
    return runs.job(job_id)
