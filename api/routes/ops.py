"""Operations: form step events; the staff KPI, topic and health views; review -> eval case."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request, status
from prometheus_client import generate_latest
from pydantic import BaseModel, Field, field_validator
from starlette.concurrency import run_in_threadpool

from api.deps import ServicesDep, StaffDep, UserDep
from api.review_cases import draft_from_thread
from api.schemas.eval_cases import EvalCaseDraft, EvalCaseRequest
from core.alarms import Sample, evaluate_all
from core.errors import UpstreamUnavailable
from core.ids import ID_PATTERN
from retrieval.query_analytics import QUESTION_EVENT, Topic, kb_confidence, topics
from scoring.drift import DriftReport, load_drift_report, max_psi
from storage.funnel import FORM_STEPS, STEP_EVENT
from storage.kpis import KpiReport, compute_kpis, load_records

router = APIRouter(prefix="/v1", tags=["staff"])
ThreadId = Path(pattern=ID_PATTERN.pattern, description="the flagged conversation")


class StepEvent(BaseModel):
    """One step of the web application form reached by the caller."""

    channel: Literal["form"] = "form"
    step: str = Field(
        description=f"one of: {', '.join(FORM_STEPS)}",
        json_schema_extra={"enum": list(FORM_STEPS)},  # the schema lists what is accepted
    )
    session: str = Field(
        min_length=8, max_length=64, pattern=ID_PATTERN.pattern,
        description="client-chosen id of this form session (e.g. the draft id)",
    )  # fmt: skip

    @field_validator("step")
    @classmethod
    def _known_step(cls, value: str) -> str:
        if value not in FORM_STEPS:
            raise ValueError(f"unknown step {value!r}; expected one of {', '.join(FORM_STEPS)}")
        return value


class StepRecorded(BaseModel):
    """Acknowledgement of a step event."""

    step: str
    session: str


@router.post(
    "/events/step",
    status_code=status.HTTP_201_CREATED,
    response_model=StepRecorded,
    operation_id="recordFormStep",
    tags=["applications"],
)
def record_step(body: StepEvent, services: ServicesDep, user: UserDep, request: Request) -> Any:
    """Report that you reached a step of the application form (feeds the drop-off funnel)."""
    # The session is scoped to the caller so two applicants' ids can never merge.
    session = f"{user.user_id}:{body.session}"
    services.repos.events.record(
        STEP_EVENT, None, {"channel": body.channel, "step": body.step, "session": session}
    )
    request.app.state.metrics.recorder.count("funnel_steps_total", channel="form", step=body.step)
    return StepRecorded(step=body.step, session=body.session)


@router.get("/staff/kpis", response_model=KpiReport, operation_id="staffKpis")
async def kpis(
    services: ServicesDep,
    staff: StaffDep,
    days: Annotated[int | None, Query(ge=1, le=3660, description="window; all when absent")] = None,
) -> Any:
    """Business KPIs: decision rates, time to decision, acceptance, negotiation, funnel, ratings."""
    since = None if days is None else services.clock.now() - timedelta(days=days)
    apps, events = await run_in_threadpool(load_records, services.repos)
    return await run_in_threadpool(compute_kpis, apps, events, since)


@router.get("/staff/query-topics", response_model=list[Topic], operation_id="staffQueryTopics")
async def query_topics(
    services: ServicesDep,
    staff: StaffDep,
    limit: Annotated[int, Query(ge=1, le=20_000, description="newest questions to cluster")] = 2000,
) -> Any:
    """Applicants' questions clustered into topics; `gap` marks what the KB answers poorly."""
    kb = services.knowledge_base
    encoder, index = getattr(kb, "encoder", None), getattr(kb, "index", None)
    if encoder is None or index is None:
        raise UpstreamUnavailable("the knowledge base is not available for query analytics")

    def run() -> list[Topic]:
        events = services.repos.events.recent(QUESTION_EVENT, limit=limit)
        events += services.repos.events.recent("feedback", limit=limit)
        return topics(events, encoder, kb_confidence(index))

    return await run_in_threadpool(run)


class AlarmRead(BaseModel):
    """One alarm rule evaluated against this process's metrics (value None: no data yet)."""

    rule: str
    value: float | None
    threshold: float
    firing: bool


class OpsHealth(BaseModel):
    """What the staff dashboard shows beside the KPIs: alarm states and the model's drift."""

    alarms: list[AlarmRead]
    drift: DriftReport | None = Field(
        description="the latest `loan-advisor scoring drift` report; None before the first"
    )


def _samples(registry: Any) -> list[Sample]:
    from prometheus_client.parser import text_string_to_metric_families

    text = generate_latest(registry).decode()
    return [Sample(s.name, s.labels, s.value)
            for fam in text_string_to_metric_families(text) for s in fam.samples]  # fmt: skip


@router.get("/staff/ops-health", response_model=OpsHealth, operation_id="staffOpsHealth")
async def ops_health(services: ServicesDep, staff: StaffDep, request: Request) -> Any:
    """Alarm rules against this process's /metrics and the latest drift report (staff)."""
    folder = services.settings.drift_dir

    def run() -> OpsHealth:
        drift = load_drift_report(folder)
        extra = {} if drift is None else {"drift_psi": max_psi(drift)}
        states = evaluate_all(_samples(request.app.state.metrics.registry), extra)
        alarms = [AlarmRead(rule=s.rule, value=s.value, threshold=s.threshold, firing=s.firing)
                  for s in states]  # fmt: skip
        return OpsHealth(alarms=alarms, drift=drift)

    return await run_in_threadpool(run)


@router.post(
    "/staff/threads/{thread_id}/eval-case",
    response_model=EvalCaseDraft,
    status_code=status.HTTP_201_CREATED,
    operation_id="exportEvalCase",
)
async def export_eval_case(
    body: EvalCaseRequest, services: ServicesDep, staff: StaffDep, thread_id: str = ThreadId
) -> Any:
    """Turn a flagged conversation into a draft evals case file for review (staff)."""
    return await draft_from_thread(
        services.graph,
        services.threads,
        services.settings.var_dir,
        thread_id,
        body,
        body.message_id,
    )
