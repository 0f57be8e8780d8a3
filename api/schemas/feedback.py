"""Bodies of the feedback and staff routes."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from api.schemas.applications import ApplicationPublic
from core.ids import ID_PATTERN


class RatingCreate(BaseModel):
    """How the whole process went, 1 (poor) to 5 (excellent)."""

    rating: int = Field(ge=1, le=5)
    comment: str = Field("", max_length=2000)
    application_id: str | None = Field(None, pattern=ID_PATTERN.pattern)


class ThumbCreate(BaseModel):
    """A thumb up or down on one advisor message."""

    thread_id: str = Field(pattern=ID_PATTERN.pattern)
    message_id: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.:-]+$")
    thumb: Literal["up", "down"]
    comment: str = Field("", max_length=2000)


class FeedbackPublic(BaseModel):
    """Stored feedback."""

    feedback_id: str
    rating: int | None
    thumb: Literal["up", "down"] | None
    created_at: datetime


class ReviewItem(BaseModel):
    """An application waiting for a loan officer."""

    application: ApplicationPublic
    reasons: list[str] = Field(description="why it was referred")


class ReviewVerdict(BaseModel):
    """A loan officer's verdict on a referred application."""

    outcome: Literal["approved", "declined"]
    note: str = Field("", max_length=2000)


class HandoverPublic(BaseModel):
    """A conversation an applicant asked a person to take over."""

    thread_id: str | None
    reason: str
    requested_at: datetime


class StaffMetrics(BaseModel):
    """Operational figures for the staff dashboard."""

    applications_by_status: dict[str, int]
    feedback: dict[str, float]
    events_recent: dict[str, int]


class KbSearchHit(BaseModel):
    """One passage found in the knowledge base."""

    doc_id: str
    version: Any
    title: str
    section: str
    text: str
    score: float
    url: str


class ExperimentArm(BaseModel):
    """Exposure of one experiment arm (prompt variant) in recent chat turns."""

    variant: str
    prompt: str | None
    turns: int
    threads: int


class UiExperimentArm(BaseModel):
    """Exposure of one arm of a UI experiment (assignments read by signed-in users)."""

    experiment_id: str
    variant: str
    exposures: int = Field(description="assignment reads that showed this arm")
    users: int = Field(description="distinct users shown this arm")


class ExperimentsView(BaseModel):
    """Recent exposures per arm (from the event log; the eval CLI does the statistics)."""

    arms: list[ExperimentArm]
    ui_arms: list[UiExperimentArm] = Field(
        default_factory=list, description="UI experiment arms (chat layout, offer presentation)"
    )
    window_events: int = Field(description="how many recent exposure events were read")
