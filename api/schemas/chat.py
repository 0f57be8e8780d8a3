"""Request and response bodies, split by direction."""

from __future__ import annotations

from datetime import datetime

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


class MessagePublic(BaseModel):
    """One visible message of a thread."""

    role: str = Field(description="user, assistant or tool")
    content: str
    tool_name: str | None = None
    message_id: str | None = Field(None, description="id to attach per-message feedback to")


class ThreadDetail(ThreadPublic):
    """A conversation with its messages."""

    messages: list[MessagePublic]
