"""Bodies of the staff feedback review routes (items opened by thumbs-down and low ratings)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from api.schemas.eval_cases import EvalCaseDraft

ReviewStatusName = Literal["open", "resolved", "dismissed"]


class FeedbackReviewPublic(BaseModel):
    """One rated exchange for staff to look at; every text is PII-redacted."""

    item_id: str
    status: ReviewStatusName
    thread_id: str | None = Field(description="the conversation; None for a process rating")
    message_id: str = Field(description="the rated reply (a rating's feedback id otherwise)")
    question: str = Field(description="the applicant's turn the reply answered")
    reply: str = Field(description="the rated reply")
    thumb: Literal["up", "down"] | None
    rating: int | None = Field(description="1-5 process rating, when that opened the item")
    comment: str
    application_id: str | None
    created_at: datetime
    closed_by: str | None = Field(
        description="the staff member who resolved or dismissed it (email, else user id)"
    )
    closed_at: datetime | None
    note: str
    eval_case: str | None = Field(description="file name of the eval-case draft made from it")
    draft_file: str | None = Field(
        description="where 'turn into eval case' writes, under the var dir (None: no conversation)"
    )


class TranscriptTurn(BaseModel):
    """One turn of the reviewed conversation, PII-redacted."""

    message_id: str
    role: Literal["applicant", "advisor"]
    text: str
    rated: bool = Field(description="whether this is the reply the feedback was about")


class FeedbackReviewDetail(FeedbackReviewPublic):
    """A review item with its conversation."""

    transcript: list[TranscriptTurn]


class FeedbackReviewClose(BaseModel):
    """Why an item is resolved or dismissed."""

    note: str = Field("", max_length=2000)


class FeedbackReviewEvalCase(BaseModel):
    """The eval-case draft written from an item, and the item now linked to it."""

    draft: EvalCaseDraft
    item: FeedbackReviewPublic
