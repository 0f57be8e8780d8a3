"""What the tools need from the outside world, as Protocols, plus the bundle they get.

Clients are built once at the edge (the composition root) and passed in; tools never
build a client. Tests pass fakes from tests/fakes/ that implement the same Protocols.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from applications.ports import RiskScorer
from applications.service import ApplicationService
from core.clock import Clock
from core.ids import new_id
from lending.policy import Policy

__all__ = ["EventLog", "PassageLike", "PolicySearch", "RiskScorer", "ToolDeps"]


class PassageLike(Protocol):
    """A retrieved knowledge-base passage (retrieval.service.Passage has these fields)."""

    doc_id: str
    version: Any
    title: str
    section: str
    text: str
    score: float
    url: str


class PolicySearch(Protocol):
    """The knowledge base of policies and process documents."""

    def search(
        self,
        query: str,
        *,
        history: list[str] | None = None,
        product: str | None = None,
        k: int = 5,
    ) -> Sequence[PassageLike]:
        """Return the passages that best answer `query`, best first."""
        ...


class EventLog(Protocol):
    """Where tools report what happened (handover) for staff and audit."""

    def record(self, event: str, thread_id: str | None, payload: dict[str, Any]) -> None:
        """Store one event; must not raise for a valid payload."""
        ...


@dataclass(frozen=True)
class ToolDeps:
    """Everything the tools use, built once at start-up."""

    scorer: RiskScorer
    policy: Policy
    clock: Clock
    applications: ApplicationService
    knowledge: PolicySearch | None = None
    events: EventLog | None = None
    make_id: Callable[[str], str] = field(default=new_id)
