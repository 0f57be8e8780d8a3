"""Bodies of the routes that turn a conversation into a draft evals case (staff)."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field, field_validator


class EvalCaseExpectation(BaseModel):
    """Why the conversation is flagged and what the advisor should have done."""

    note: str = Field(min_length=3, max_length=2000, description="what went wrong")
    must_include: list[str] = Field(default_factory=list, max_length=10, description="regexes")
    must_not_include: list[str] = Field(default_factory=list, max_length=10, description="regexes")

    @field_validator("must_include", "must_not_include")
    @classmethod
    def _regexes(cls, value: list[str]) -> list[str]:
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"not a regular expression: {pattern!r} ({exc})") from None
        return value


class EvalCaseRequest(EvalCaseExpectation):
    """A flagged conversation, optionally naming the reply that went wrong."""

    message_id: str | None = Field(None, description="the flagged reply, quoted in the draft")


class EvalCaseDraft(BaseModel):
    """The draft case written for review (not added to any suite)."""

    case_id: str
    path: str
    yaml: str
