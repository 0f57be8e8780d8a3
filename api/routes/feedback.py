"""Feedback: a 1-5 rating of the process and thumbs on advisor messages."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, status
from starlette.concurrency import run_in_threadpool

from agent.feedback import afeedback_for
from api.deps import ServicesDep, UserDep
from api.feedback_reviews import open_for
from api.schemas.feedback import FeedbackPublic, RatingCreate, ThumbCreate
from core.errors import NotFound
from core.ids import new_id
from storage.kpis import record_feedback_event
from storage.records import FeedbackRecord

router = APIRouter(prefix="/v1/feedback", tags=["feedback"])


@router.post(
    "/rating",
    status_code=status.HTTP_201_CREATED,
    response_model=FeedbackPublic,
    operation_id="rateProcess",
)
def rate(body: RatingCreate, services: ServicesDep, user: UserDep, request: Request) -> Any:
    """Rate the application process from 1 to 5, optionally for one of your applications.

    A rating of 2 or less opens a review item for staff.
    """
    app = None
    if body.application_id is not None:
        app = services.repos.applications.get(body.application_id)
        if app is None or app.owner != user.user_id:
            raise NotFound(f"no application {body.application_id!r}", field="application_id")
    record = FeedbackRecord(
        feedback_id=new_id("fbk"),
        owner=user.user_id,
        rating=body.rating,
        application_id=body.application_id,
        comment=body.comment,
        created_at=services.clock.now(),
    )
    services.repos.feedback.add(record)
    record_feedback_event(services.repos.events, record)
    recorder = request.app.state.metrics.recorder
    recorder.count("feedback_total", kind="rating", value=str(body.rating))
    thread = app.thread_id if app is not None else None
    open_for(services.repos.feedback_reviews, recorder, record, thread_id=thread)
    return FeedbackPublic.model_validate(record.model_dump())


@router.post(
    "/messages",
    status_code=status.HTTP_201_CREATED,
    response_model=FeedbackPublic,
    operation_id="rateMessage",
)
async def thumb(body: ThumbCreate, services: ServicesDep, user: UserDep, request: Request) -> Any:
    """Give a thumb up or down (with an optional comment) on an advisor reply in your conversation.

    The stored row carries the versions (provider, prompt, variant, policy) that produced the
    reply, so evals and prompt experiments can attribute it; the comment is PII-redacted. A
    thumbs-down opens a review item for staff (one per reply, however many thumbs).
    """
    thread = await run_in_threadpool(services.threads.get, body.thread_id)
    if thread is None or thread.owner != user.user_id:
        raise NotFound(f"no conversation {body.thread_id!r}", field="thread_id")
    rated = await afeedback_for(
        services.graph, body.thread_id, body.message_id, body.thumb, body.comment
    )
    record = FeedbackRecord(
        feedback_id=new_id("fbk"),
        owner=user.user_id,
        thumb=body.thumb,
        thread_id=body.thread_id,
        message_id=body.message_id,
        comment=rated.comment,
        versions=rated.versions,
        created_at=services.clock.now(),
    )
    await run_in_threadpool(services.repos.feedback.add, record)
    await run_in_threadpool(record_feedback_event, services.repos.events, record)
    recorder = request.app.state.metrics.recorder
    recorder.count("feedback_total", kind="thumb", value=body.thumb)
    await run_in_threadpool(
        open_for, services.repos.feedback_reviews, recorder, record,
        question=rated.question, reply=rated.reply,
    )  # fmt: skip
    return FeedbackPublic.model_validate(record.model_dump())
