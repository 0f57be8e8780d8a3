"""Human review of referred applications: what a loan officer sees, and how they answer.

A referral pauses the thread at the `human_review` node (a LangGraph interrupt). Staff
tools (the API's staff routes) list what is pending with `pending_review` and answer with
`resume_review`; the applicant then finds the officer's decision in their conversation.
"""

from __future__ import annotations

from typing import Any, Literal

from langgraph.types import Command

from core.errors import Conflict

ReviewOutcome = Literal["approved", "conditionally_approved", "declined"]


def _config(thread_id: str) -> dict[str, Any]:
    return {"configurable": {"thread_id": thread_id}}


def pending_review(graph: Any, thread_id: str) -> dict[str, Any] | None:
    """Return what the paused thread asks a loan officer to decide, or None."""
    snapshot = graph.get_state(_config(thread_id))
    for interrupt in getattr(snapshot, "interrupts", ()) or ():
        value = interrupt.value
        if isinstance(value, dict) and value.get("type") == "human_review":
            return value
    return None


def resume_review(
    graph: Any, thread_id: str, outcome: ReviewOutcome, *, reviewer: str, note: str = ""
) -> dict[str, Any]:
    """Record a loan officer's decision on a referred application and resume the thread.

    Raises:
        Conflict: the thread is not waiting for a review.
    """
    if pending_review(graph, thread_id) is None:
        raise Conflict("this conversation is not waiting for a review", field="thread_id")
    verdict = {"outcome": outcome, "note": note, "reviewer": reviewer}
    state: dict[str, Any] = graph.invoke(Command(resume=verdict), _config(thread_id))
    return state


async def aresume_review(
    graph: Any, thread_id: str, outcome: ReviewOutcome, *, reviewer: str, note: str = ""
) -> dict[str, Any]:
    """Async `resume_review` for graphs with an async checkpointer (the API)."""
    snapshot = await graph.aget_state(_config(thread_id))
    pending = [
        i for i in (getattr(snapshot, "interrupts", ()) or ())
        if isinstance(i.value, dict) and i.value.get("type") == "human_review"
    ]  # fmt: skip
    if not pending:
        raise Conflict("this conversation is not waiting for a review", field="thread_id")
    verdict = {"outcome": outcome, "note": note, "reviewer": reviewer}
    state: dict[str, Any] = await graph.ainvoke(Command(resume=verdict), _config(thread_id))
    return state
