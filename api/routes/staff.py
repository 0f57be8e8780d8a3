"""Staff only: the review queue, handovers, knowledge-base search and operational metrics."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from agent.experiments import UI_EXPOSURE
from agent.review import aresume_review
from api.applications_service import public_decision, to_public
from api.deps import ServicesDep, StaffDep
from api.schemas.applications import ApplicationPublic
from api.schemas.feedback import (
    ExperimentArm,
    ExperimentsView,
    HandoverPublic,
    KbSearchHit,
    ReviewItem,
    ReviewVerdict,
    StaffMetrics,
    UiExperimentArm,
)
from core.errors import Conflict, UpstreamUnavailable
from core.ids import ID_PATTERN
from storage.records import ApplicationRecord
from tools.context import RunContext

router = APIRouter(prefix="/v1/staff", tags=["staff"])
ApplicationId = Annotated[str, Path(pattern=ID_PATTERN.pattern)]
log = logging.getLogger(__name__)


@router.get("/review-queue", response_model=list[ReviewItem], operation_id="reviewQueue")
def review_queue(services: ServicesDep, staff: StaffDep) -> Any:
    """List referred applications waiting for a loan officer, oldest first."""
    items = []
    for record in services.repos.applications.list_by_status("under_review"):
        decision = public_decision(record)
        reasons = [r.message for r in decision.reasons] if decision else []
        items.append(
            ReviewItem(application=to_public(record, services.applications), reasons=reasons)
        )
    return items


@router.post(
    "/applications/{application_id}/review",
    response_model=ApplicationPublic,
    operation_id="reviewApplication",
    responses={409: {"description": "the application is not waiting for review"}},
)
async def review(
    application_id: ApplicationId, body: ReviewVerdict, services: ServicesDep, staff: StaffDep
) -> Any:
    """Approve or decline a referred application; the history records the officer's note.

    An application referred in a conversation also resumes that conversation's paused
    human-review step, so the applicant hears the verdict in the same thread.
    """
    record = await asyncio.to_thread(
        services.applications.review, application_id, staff.user_id, body.outcome, body.note
    )
    if record.thread_id:
        await _resume_review(services, record, body, staff.user_id)
    return to_public(record, services.applications)


async def _resume_review(
    services: ServicesDep, record: ApplicationRecord, body: ReviewVerdict, reviewer: str
) -> None:
    """Tell the application's own conversation the verdict, if it waits for this one."""
    assert record.thread_id is not None
    thread = await asyncio.to_thread(services.repos.threads.get, record.thread_id)
    if thread is None or thread.owner != record.owner:
        return  # not the applicant's conversation: never resume someone else's thread
    snapshot = await asyncio.to_thread(services.applications.snapshot, record.application_id)
    try:
        await aresume_review(
            services.graph,
            RunContext(user_id=record.owner, thread_id=record.thread_id),
            record.application_id,
            body.outcome,
            reviewer=reviewer,
            note=body.note,
            application=snapshot.model_dump(mode="json"),
        )
    except Conflict:
        return  # not paused for this application's review (form submission, already told)
    except Exception:  # the verdict is stored; telling the thread is best effort
        log.exception("could not resume the conversation's review step")


@router.get("/handovers", response_model=list[HandoverPublic], operation_id="listHandovers")
def handovers(services: ServicesDep, staff: StaffDep) -> Any:
    """List conversations whose applicant asked for a person, newest first."""
    return [
        HandoverPublic(
            thread_id=e.thread_id,
            reason=str(e.payload.get("reason", "")),
            requested_at=e.payload.get("requested_at", e.at),
        )
        for e in services.repos.events.recent("handover")
    ]


@router.get("/metrics", response_model=StaffMetrics, operation_id="staffMetrics")
def metrics(services: ServicesDep, staff: StaffDep) -> Any:
    """Return application counts by status, feedback summary and recent event counts."""
    events = Counter(e.kind for e in services.repos.events.recent(limit=1000))
    return StaffMetrics(
        applications_by_status=services.repos.applications.count_by_status(),
        feedback=services.repos.feedback.summary(),
        events_recent=dict(events),
    )


@router.get("/experiments", response_model=ExperimentsView, operation_id="staffExperiments")
def experiments(services: ServicesDep, staff: StaffDep) -> Any:
    """Return turns and threads per prompt variant over the most recent exposures."""
    exposures = services.repos.events.recent("exposure", limit=5000)
    turns: Counter[tuple[str, str | None]] = Counter()
    threads: dict[tuple[str, str | None], set[str]] = {}
    for e in exposures:
        key = (str(e.payload.get("variant")), e.payload.get("prompt"))
        turns[key] += 1
        threads.setdefault(key, set()).add(e.thread_id or "")
    arms = [
        ExperimentArm(variant=v, prompt=p, turns=n, threads=len(threads[(v, p)]))
        for (v, p), n in sorted(turns.items(), key=lambda kv: kv[0][0])
    ]
    return ExperimentsView(arms=arms, ui_arms=_ui_arms(services), window_events=len(exposures))


def _ui_arms(services: ServicesDep) -> list[UiExperimentArm]:
    """Count recent UI exposures and distinct users per (experiment id, arm)."""
    reads: Counter[tuple[str, str]] = Counter()
    users: dict[tuple[str, str], set[str]] = {}
    for e in services.repos.events.recent(UI_EXPOSURE, limit=5000):
        key = (str(e.payload.get("experiment_id")), str(e.payload.get("variant")))
        reads[key] += 1
        users.setdefault(key, set()).add(str(e.payload.get("user")))
    return [
        UiExperimentArm(experiment_id=x, variant=v, exposures=n, users=len(users[(x, v)]))
        for (x, v), n in sorted(reads.items())
    ]


@router.get("/kb/search", response_model=list[KbSearchHit], operation_id="staffKbSearch")
def kb_search(
    services: ServicesDep,
    staff: StaffDep,
    q: Annotated[str, Query(min_length=1, max_length=500)],
    k: Annotated[int, Query(ge=1, le=20)] = 5,
) -> Any:
    """Search the knowledge base as the advisor would (to check what it cites)."""
    if services.knowledge_base is None:
        raise UpstreamUnavailable("the knowledge base index is not available")
    return [
        KbSearchHit(
            doc_id=p.doc_id,
            version=p.version,
            title=p.title,
            section=p.section,
            text=p.text,
            score=float(p.score),
            url=p.url,
        )
        for p in services.knowledge_base.search(q, k=k)
    ]
