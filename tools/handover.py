"""Hand the conversation to a person (a loan officer)."""

from __future__ import annotations

from typing import Annotated, Any

from langchain_core.tools import BaseTool, tool
from pydantic import Field

from tools.application import Runtime
from tools.ports import ToolDeps


def build_handover_tools(deps: ToolDeps) -> list[BaseTool]:
    """Return `request_human` bound to the event log staff work from."""

    @tool
    def request_human(
        reason: Annotated[str, Field(min_length=2, max_length=300)], runtime: Runtime
    ) -> dict[str, Any]:
        """Ask a loan officer to take over this conversation.

        Use when the applicant asks for a person, or for anything you must not answer yourself.
        """
        thread = runtime.context.thread_id
        ticket = {
            "ticket_id": deps.make_id("hnd"),
            "status": "queued",
            "reason": reason,
            "requested_at": deps.clock.now().isoformat(),
        }
        if deps.events is not None:
            deps.events.record("handover", thread, ticket)
        return ticket

    return [request_human]
