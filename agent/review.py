"""Human review of referred applications: what a loan officer sees, and how they answer.

A referral pauses the thread at the `human_review` node (a LangGraph interrupt). The staff
route records the verdict in the application service first, then resumes the thread with
the stored application's snapshot - and only a thread whose pending review names that very
application, so one applicant's verdict can never land in another's conversation.
"""

from __future__ import annotations

from typing import Any, Literal

from langgraph.types import Command

from core.errors import Conflict
from tools.context import RunContext

ReviewOutcome = Literal["approved", "conditionally_approved", "declined"]


def _config(thread_id: str) -> dict[str, Any]:
    return {"configurable": {"thread_id": thread_id}}


def _pending(snapshot: Any) -> dict[str, Any] | None:
    for interrupt in getattr(snapshot, "interrupts", ()) or ():
        value = interrupt.value
        if isinstance(value, dict) and value.get("type") == "human_review":
            return value
    return None


def pending_review(graph: Any, thread_id: str) -> dict[str, Any] | None:
    """Return what the paused thread asks a loan officer to decide, or None."""
    return _pending(graph.get_state(_config(thread_id)))


def _verdict(
    pending: dict[str, Any] | None,
    application_id: str,
    outcome: ReviewOutcome,
    reviewer: str,
    note: str,
    application: dict[str, Any] | None,
) -> dict[str, Any]:
    if pending is None:
        raise Conflict("this conversation is not waiting for a review", field="thread_id")
    if pending.get("application_id") != application_id:
        raise Conflict(
            "this conversation is waiting for the review of another application",
            field="thread_id",
        )
    return {
        "application_id": application_id,
        "outcome": outcome,
        "note": note,
        "reviewer": reviewer,
        "application": application,
    }


def resume_review(
    graph: Any,
    context: RunContext,
    application_id: str,
    outcome: ReviewOutcome,
    *,
    reviewer: str,
    note: str = "",
    application: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Tell the paused thread a loan officer's verdict on `application_id` and resume it.

    `application` is the stored application's snapshot after the verdict (what the thread
    keeps). Raises `Conflict` if the thread is not waiting for a review of that application.
    """
    pending = pending_review(graph, context.thread_id)
    verdict = _verdict(pending, application_id, outcome, reviewer, note, application)
    state: dict[str, Any] = graph.invoke(
        Command(resume=verdict), _config(context.thread_id), context=context
    )
    return state


async def aresume_review(
    graph: Any,
    context: RunContext,
    application_id: str,
    outcome: ReviewOutcome,
    *,
    reviewer: str,
    note: str = "",
    application: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Async `resume_review` for graphs with an async checkpointer (the API)."""
    pending = _pending(await graph.aget_state(_config(context.thread_id)))
    verdict = _verdict(pending, application_id, outcome, reviewer, note, application)
    state: dict[str, Any] = await graph.ainvoke(
        Command(resume=verdict), _config(context.thread_id), context=context
    )
    return state
