"""The typed per-run context of the advisor graph (LangGraph `context_schema`).

The API and the CLI pass it at every invocation; nodes read it as `Runtime[RunContext]`
and tools as `ToolRuntime[RunContext]` (injected, hidden from the model). Nobody digs in
`config["configurable"]`, which only carries the checkpointer's thread id.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RunContext:
    """Who is talking, in which conversation, under which experiment arm."""

    user_id: str
    """The signed-in applicant (owner of every application the run creates or reads)."""

    thread_id: str
    """The conversation; also the checkpointer's thread id."""

    variant: str | None = None
    """The experiment arm the caller was assigned, when the edge knows it (else the graph's)."""
