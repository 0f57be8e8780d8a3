"""Staff only: review items opened by applicants' thumbs-down and low ratings.

Staff read the redacted exchange, then resolve or dismiss it, or turn it into a draft evals
case (written beside the other review drafts, never into a suite) linked to the item.
"""

from __future__ import annotations

import asyncio
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, status

from api.deps import ServicesDep, StaffDep
from api.feedback_reviews import ReviewAction, act, transcript
from api.review_cases import draft_file, draft_from_thread
from api.schemas.eval_cases import EvalCaseExpectation
from api.schemas.feedback_reviews import (
    FeedbackReviewClose,
    FeedbackReviewDetail,
    FeedbackReviewEvalCase,
    FeedbackReviewPublic,
    ReviewStatusName,
    TranscriptTurn,
)
from core.errors import NotFound, ValidationFailed
from storage.feedback_reviews import REVIEW_STATUSES, FeedbackReviewRecord

router = APIRouter(prefix="/v1/staff/feedback-reviews", tags=["staff"])
ItemId = Annotated[str, Path(pattern=r"^fbr_[0-9a-f]{24}$", description="the review item")]
CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {"description": "the item is already resolved or dismissed"}
}


def _public(item: FeedbackReviewRecord) -> FeedbackReviewPublic:
    """Return the item as staff see it, with the draft file it would be exported to."""
    target = None if item.thread_id is None else str(draft_file(item.thread_id))
    return FeedbackReviewPublic(**item.model_dump(), draft_file=target)


async def _item(services: ServicesDep, item_id: str) -> FeedbackReviewRecord:
    found = await asyncio.to_thread(services.repos.feedback_reviews.get, item_id)
    if found is None:
        raise NotFound(f"no review item {item_id!r}", field="item_id")
    return found


@router.get("", response_model=list[FeedbackReviewPublic], operation_id="listFeedbackReviews")
async def list_items(
    services: ServicesDep,
    staff: StaffDep,
    status_: Annotated[
        ReviewStatusName | None, Query(alias="status", description="only this status")
    ] = None,
) -> Any:
    """List review items: open first (oldest first), then resolved, then dismissed."""
    wanted = REVIEW_STATUSES if status_ is None else (status_,)
    repo = services.repos.feedback_reviews
    found = [await asyncio.to_thread(repo.list, s) for s in wanted]
    return [_public(item) for items in found for item in items]


@router.get("/{item_id}", response_model=FeedbackReviewDetail, operation_id="getFeedbackReview")
async def get_item(item_id: ItemId, services: ServicesDep, staff: StaffDep) -> Any:
    """Return one review item with its conversation's transcript, PII-redacted."""
    item = await _item(services, item_id)
    turns: list[TranscriptTurn] = []
    if item.thread_id is not None:
        state = await services.graph.aget_state({"configurable": {"thread_id": item.thread_id}})
        messages = state.values.get("messages", []) if state else []
        turns = [
            TranscriptTurn(message_id=m, role=role, text=text, rated=m == item.message_id)
            for m, role, text in transcript(messages)
        ]
    return FeedbackReviewDetail(**_public(item).model_dump(), transcript=turns)


async def _act(
    services: ServicesDep, staff: StaffDep, item_id: str, action: ReviewAction, note: str
) -> Any:
    """Apply `action` as this staff member: named by email when the token carries one.

    Staff see who closed an item by a name they recognise; user ids stay out of responses.
    """
    record = await asyncio.to_thread(
        act, services.repos.feedback_reviews, item_id, action,
        actor=staff.email or staff.user_id, at=services.clock.now(), note=note,
    )  # fmt: skip
    return _public(record)


@router.post(
    "/{item_id}/resolve",
    response_model=FeedbackReviewPublic,
    operation_id="resolveFeedbackReview",
    responses=CONFLICT,
)
async def resolve(
    item_id: ItemId, body: FeedbackReviewClose, services: ServicesDep, staff: StaffDep
) -> Any:
    """Mark an open item resolved (the problem is fixed or handled); records who and when."""
    return await _act(services, staff, item_id, "resolve", body.note)


@router.post(
    "/{item_id}/dismiss",
    response_model=FeedbackReviewPublic,
    operation_id="dismissFeedbackReview",
    responses=CONFLICT,
)
async def dismiss(
    item_id: ItemId, body: FeedbackReviewClose, services: ServicesDep, staff: StaffDep
) -> Any:
    """Mark an open item dismissed (nothing to fix); records who and when."""
    return await _act(services, staff, item_id, "dismiss", body.note)


@router.post(
    "/{item_id}/eval-case",
    response_model=FeedbackReviewEvalCase,
    status_code=status.HTTP_201_CREATED,
    operation_id="feedbackReviewEvalCase",
)
async def eval_case(
    item_id: ItemId, body: EvalCaseExpectation, services: ServicesDep, staff: StaffDep
) -> Any:
    """Write the item's conversation as a draft evals case and link the draft's file to it."""
    item = await _item(services, item_id)
    if item.thread_id is None:
        raise ValidationFailed(
            "this rating has no conversation to replay as an evals case", field="item_id"
        )
    draft = await draft_from_thread(
        services.graph, services.threads, services.settings.var_dir,
        item.thread_id, body, item.message_id,
    )  # fmt: skip
    linked = await asyncio.to_thread(
        services.repos.feedback_reviews.link_eval_case, item_id, FilePath(draft.path).name
    )
    return FeedbackReviewEvalCase(draft=draft, item=_public(linked))
