"""Outcome events for the analysis, read from the service's event log.

Tools log business events by thread (submitted, accepted, handover); the web app reports what
only it sees (application started, form step reached, offer viewed, thumbs) as `outcome` events
carrying the user. Each becomes an `Outcome` of a user, so it can be joined to exposures.
"""

from __future__ import annotations

from collections.abc import Callable

from experiments.analysis import Outcome
from storage.events import EventRecord, EventRepository

CLIENT_OUTCOME = "outcome"
"""Event-log kind of an outcome the web app reports: payload user, event, value."""

CLIENT_EVENTS = (
    "application_started",
    "form_step",
    "offer_viewed",
    "thumb_up",
    "thumb_down",
    "rating",
    "drop_off",
    "turns_to_decision",
)
"""Outcome events a client may report (anything else is refused with a 422)."""

TOOL_EVENTS = ("submitted", "accepted", "handover", "repriced")
APPROVED = ("approved", "conditionally_approved")


def _from_tool(record: EventRecord, owner: str) -> list[Outcome]:
    found = [Outcome(user_id=owner, event=record.kind, at=record.at)]
    decision = record.payload.get("decision")
    if record.kind == "submitted" and isinstance(decision, dict):
        if decision.get("outcome") in APPROVED:
            found.append(Outcome(user_id=owner, event="approved", at=record.at))
    return found


def collect_outcomes(
    events: EventRepository, owner_of: Callable[[str], str | None], limit: int = 200_000
) -> list[Outcome]:
    """Return every outcome in the newest `limit` events of each kind, as user outcomes.

    `owner_of` maps a thread id to its user (tool events carry the thread, not the user).
    """
    out: list[Outcome] = []
    for kind in TOOL_EVENTS:
        for record in events.recent(kind, limit):
            owner = owner_of(record.thread_id) if record.thread_id else None
            if owner:
                out += _from_tool(record, owner)
    for record in events.recent(CLIENT_OUTCOME, limit):
        p = record.payload
        if p.get("user") and p.get("event"):
            value = float(p.get("value", 1.0))
            out.append(
                Outcome(user_id=str(p["user"]), event=str(p["event"]), value=value, at=record.at)
            )
    return out
