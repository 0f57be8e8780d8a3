"""The application funnel: the fixed step vocabularies and drop-off per step.

The web form reports its steps through `POST /v1/events/step`; the chat reports its own from
the turn's tool results. Both land in the event log as `step` events
(`{"channel", "step", "session"}`); a session counts as having reached a step when it reported
that step or any later one, so a skipped optional step does not look like a drop-off.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel

from storage.events import EventRecord

STEP_EVENT = "step"
FORM_STEPS: tuple[str, ...] = (
    "about_you",
    "work_income",
    "savings_credit",
    "loan",
    "review",
    "submitted",
)
CHAT_STEPS: tuple[str, ...] = ("conversation", "application_submitted", "offer_accepted")
STEPS: dict[str, tuple[str, ...]] = {"form": FORM_STEPS, "chat": CHAT_STEPS}


class FunnelStep(BaseModel):
    """How many sessions reached a step and what share of the previous step's were lost."""

    step: str
    sessions: int
    drop_off: float | None  # share of the previous step's sessions that never got here


class Funnel(BaseModel):
    """One channel's funnel, in step order."""

    channel: str
    steps: list[FunnelStep]
    conversion: float | None  # last step / first step


def funnel(events: Iterable[EventRecord], channel: str) -> Funnel:
    """Return the funnel of `channel` ("form" or "chat") from `step` events."""
    order = STEPS[channel]
    furthest: dict[str, int] = {}
    for ev in events:
        p = ev.payload
        if ev.kind != STEP_EVENT or p.get("channel") != channel or p.get("step") not in order:
            continue
        session = str(p.get("session") or ev.thread_id or ev.event_id)
        furthest[session] = max(furthest.get(session, -1), order.index(p["step"]))
    steps: list[FunnelStep] = []
    for i, name in enumerate(order):
        reached = sum(1 for f in furthest.values() if f >= i)
        prev = steps[-1].sessions if steps else None
        drop = None if not prev else round(1 - reached / prev, 4)
        steps.append(FunnelStep(step=name, sessions=reached, drop_off=drop))
    first, last = steps[0].sessions, steps[-1].sessions
    return Funnel(
        channel=channel, steps=steps, conversion=round(last / first, 4) if first else None
    )
