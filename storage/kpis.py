"""Business KPIs computed from the application store and the event log.

Rates come from stored applications (both channels end there); negotiation, feedback and the
funnel come from events. Everything is a pure function of the records passed in, so the staff
route, the CLI and the tests compute the same figures from the same rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime

import numpy as np
from pydantic import BaseModel

from storage.events import EventRecord, EventRepository
from storage.funnel import Funnel, funnel
from storage.records import ApplicationRecord, ApplicationStatus, FeedbackRecord
from storage.repositories import Repositories

FEEDBACK_EVENT = "feedback"
NEGOTIATED_EVENT = "negotiated"
DECIDED = ("approved", "declined")
OFFERS_EVENTS = ("submitted", "repriced")  # the chat tools' events that carry offers


class FeedbackKpis(BaseModel):
    """Ratings and thumbs."""

    ratings: int
    mean_rating: float | None
    thumbs_up: int
    thumbs_down: int
    thumbs_down_share: float | None


class KpiReport(BaseModel):
    """The business KPIs over one window of records."""

    since: datetime | None
    applications: int
    by_status: dict[str, int]
    submissions_per_day: float | None
    approval_rate: float | None
    decline_rate: float | None
    referral_rate: float | None
    time_to_decision_p50_s: float | None
    time_to_decision_p95_s: float | None
    offer_acceptance_rate: float | None
    negotiation_rate: float | None
    negotiation_met_rate: float | None
    mean_concession_pct: float | None
    feedback: FeedbackKpis
    funnels: list[Funnel]
    daily_submissions: dict[str, int]


def _share(n: int, d: int) -> float | None:
    return round(n / d, 4) if d else None


def _decided_at(app: ApplicationRecord) -> datetime | None:
    return next((c.at for c in app.history if c.status in DECIDED), None)


def _ever(app: ApplicationRecord, status: str) -> bool:
    return app.status == status or any(c.status == status for c in app.history)


def _offered_rate(events: Sequence[EventRecord], neg: EventRecord) -> float | None:
    """The rate of the offer a negotiation started from: the thread's last offers before it."""
    earlier = [
        e for e in events
        if e.kind in OFFERS_EVENTS and e.thread_id == neg.thread_id and e.at <= neg.at
    ]  # fmt: skip
    if not earlier:
        return None
    last = max(earlier, key=lambda e: e.at)
    wanted = str(neg.payload.get("offer_id"))
    for offer in last.payload.get("offers") or []:
        if str(offer.get("offer_id")) == wanted and offer.get("annual_rate_pct") is not None:
            return float(offer["annual_rate_pct"])
    return None


def _concessions(events: Sequence[EventRecord]) -> list[float]:
    """Rate points given up per negotiated offer (offered rate before minus after)."""
    out = []
    for ev in events:
        if ev.kind != NEGOTIATED_EVENT or ev.payload.get("rate_after_pct") is None:
            continue
        before = ev.payload.get("rate_before_pct")
        before = _offered_rate(events, ev) if before is None else float(before)
        if before is not None:
            out.append(round(before - float(ev.payload["rate_after_pct"]), 4))
    return out


def record_feedback_event(events: EventRepository, record: FeedbackRecord) -> None:
    """Mirror a stored rating or thumb into the event log, where KPIs and gaps read it."""
    events.record(
        FEEDBACK_EVENT,
        record.thread_id,
        {
            "rating": record.rating,
            "thumb": record.thumb,
            "message_id": record.message_id,
            "application_id": record.application_id,
            "comment": record.comment,
        },
    )


def _feedback(events: Sequence[EventRecord]) -> FeedbackKpis:
    ratings = [
        int(e.payload["rating"])
        for e in events
        if e.kind == FEEDBACK_EVENT and e.payload.get("rating") is not None
    ]
    thumbs = Counter(
        e.payload.get("thumb")
        for e in events
        if e.kind == FEEDBACK_EVENT and e.payload.get("thumb")
    )
    up, down = thumbs.get("up", 0), thumbs.get("down", 0)
    return FeedbackKpis(
        ratings=len(ratings),
        mean_rating=round(float(np.mean(ratings)), 3) if ratings else None,
        thumbs_up=up,
        thumbs_down=down,
        thumbs_down_share=_share(down, up + down),
    )


def compute_kpis(
    applications: Sequence[ApplicationRecord],
    events: Sequence[EventRecord],
    since: datetime | None = None,
) -> KpiReport:
    """Compute every KPI over the records created at or after `since` (all when None)."""
    apps = [a for a in applications if since is None or a.created_at >= since]
    evs = [e for e in events if since is None or e.at >= since]
    n = len(apps)
    by_status = dict(Counter(a.status for a in apps))
    approved = sum(1 for a in apps if _ever(a, "approved"))
    declined = sum(1 for a in apps if _ever(a, "declined"))
    referred = sum(1 for a in apps if _ever(a, "under_review"))
    accepted = sum(1 for a in apps if a.status == "offer_accepted")
    waits = [(d - a.created_at).total_seconds() for a in apps if (d := _decided_at(a)) is not None]
    negotiated = [e for e in evs if e.kind == NEGOTIATED_EVENT]
    negotiated_apps = {str(e.payload.get("application_id")) for e in negotiated}
    concessions = _concessions(evs)
    daily = Counter(a.created_at.date().isoformat() for a in apps)
    days = len(daily) or None
    return KpiReport(
        since=since,
        applications=n,
        by_status=by_status,
        submissions_per_day=round(n / days, 3) if days else None,
        approval_rate=_share(approved, n),
        decline_rate=_share(declined, n),
        referral_rate=_share(referred, n),
        time_to_decision_p50_s=round(float(np.percentile(waits, 50)), 3) if waits else None,
        time_to_decision_p95_s=round(float(np.percentile(waits, 95)), 3) if waits else None,
        offer_acceptance_rate=_share(accepted, approved),
        negotiation_rate=_share(len(negotiated_apps), approved),
        negotiation_met_rate=_share(
            sum(1 for e in negotiated if e.payload.get("met")), len(negotiated)
        ),  # fmt: skip
        mean_concession_pct=round(float(np.mean(concessions)), 4) if concessions else None,
        feedback=_feedback(evs),
        funnels=[funnel(evs, "form"), funnel(evs, "chat")],
        daily_submissions=dict(sorted(daily.items())),
    )


def load_records(
    repos: Repositories, limit: int = 50_000
) -> tuple[list[ApplicationRecord], list[EventRecord]]:
    """Read the applications (every status) and the newest `limit` events from the store."""
    apps: list[ApplicationRecord] = []
    for status in ApplicationStatus:
        apps.extend(repos.applications.list_by_status(status, limit=limit))
    return apps, repos.events.recent(None, limit=limit)
