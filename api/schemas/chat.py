"""Request and response bodies, split by direction."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field


class ChatRequest(BaseModel):
    """One applicant message."""

    message: str = Field(min_length=1, max_length=4000, description="what the applicant wrote")


class ThreadCreate(BaseModel):
    """Options for a new conversation."""

    title: str = Field("New conversation", min_length=1, max_length=120)


class ThreadPublic(BaseModel):
    """A conversation as its owner sees it."""

    thread_id: str
    title: str
    created_at: datetime
    updated_at: datetime


class ToolChipPublic(BaseModel):
    """A tool the advisor ran for a reply, as the chat shows it (a chip)."""

    name: str
    status: Literal["success", "error"]


class MessagePublic(BaseModel):
    """One visible message of a thread; a reply carries the cards it showed when it streamed."""

    role: str = Field(description="user, assistant or tool")
    content: str
    tool_name: str | None = None
    message_id: str | None = Field(None, description="id to attach per-message feedback to")
    tools: list[ToolChipPublic] = Field(default_factory=list, description="tools run for a reply")
    offers: list[dict[str, Any]] = Field(
        default_factory=list, description="offer cards of a reply (the tools' stored offers)"
    )
    citations: list[dict[str, Any]] = Field(
        default_factory=list, description="policy passages a reply drew on"
    )


class ThreadDetail(ThreadPublic):
    """A conversation with its messages."""

    messages: list[MessagePublic]
