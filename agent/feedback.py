"""Feedback on replies: thumbs up/down and a comment, stored with the versions that made it.

The API's feedback repository implements `FeedbackSink`; evals and prompt
experiments read the stored rows (variant and prompt version say which arm a
rating belongs to).
"""

from __future__ import annotations

from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field

from core.errors import NotFound
from core.redaction import redact

Rating = Literal["up", "down"]


class Feedback(BaseModel):
    """One rating of one advisor reply."""

    thread_id: str
    message_id: str
    rating: Rating
    comment: str = Field(default="", max_length=2000, description="PII-redacted free text")
    reply: str = Field(description="the rated reply, PII-redacted")
    question: str = Field("", description="the applicant's turn the reply answered, PII-redacted")
    versions: dict[str, str] = Field(description="provider, prompt, variant, templates, policy")


class FeedbackSink(Protocol):
    """Where feedback goes (the API's feedback repository)."""

    def save(self, feedback: Feedback) -> None:
        """Store one rating."""
        ...


def feedback_for(
    graph: Any, thread_id: str, message_id: str, rating: Rating, comment: str = ""
) -> Feedback:
    """Build the feedback record for a reply in a thread, with the versions of that thread.

    Raises:
        NotFound: the thread has no assistant reply with that id.
    """
    state = graph.get_state({"configurable": {"thread_id": thread_id}})
    return _from_values(state.values if state else {}, thread_id, message_id, rating, comment)


async def afeedback_for(
    graph: Any, thread_id: str, message_id: str, rating: Rating, comment: str = ""
) -> Feedback:
    """Async `feedback_for`, for graphs whose checkpointer is async (the API's)."""
    state = await graph.aget_state({"configurable": {"thread_id": thread_id}})
    return _from_values(state.values if state else {}, thread_id, message_id, rating, comment)


def _from_values(
    values: dict[str, Any], thread_id: str, message_id: str, rating: Rating, comment: str
) -> Feedback:
    question = ""
    for message in values.get("messages", []):
        if message.type == "human":
            question = str(message.content)
        if message.id == message_id and message.type == "ai" and message.content:
            return Feedback(
                thread_id=thread_id,
                message_id=message_id,
                rating=rating,
                comment=redact(comment),
                reply=redact(str(message.content)),
                question=redact(question),
                versions=dict(values.get("versions", {})),
            )
    raise NotFound(f"no reply {message_id!r} in this conversation", field="message_id")


def record_feedback(
    sink: FeedbackSink,
    graph: Any,
    thread_id: str,
    message_id: str,
    rating: Rating,
    comment: str = "",
) -> Feedback:
    """Store feedback on a reply and return what was stored."""
    feedback = feedback_for(graph, thread_id, message_id, rating, comment)
    sink.save(feedback)
    return feedback
