"""KPIs and the funnel on a known, hand-built event log and application set."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from core.clock import FixedClock
from storage.events import EventRecord, SqliteEventRepository
from storage.funnel import funnel
from storage.kpis import compute_kpis, record_feedback_event
from storage.records import ApplicationRecord, FeedbackRecord, StatusChange
from storage.sqlite import Database

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
_n = iter(range(10_000))


def app(status: str, path: list[tuple[str, int]], day: int = 0) -> ApplicationRecord:
    """An application created at T0 + day whose history visits `path` (status, seconds later)."""
    start = T0 + timedelta(days=day)
    history = [StatusChange(status="received", at=start, actor="system")]
    history += [StatusChange(status=s, at=start + timedelta(seconds=t), actor="system")
                for s, t in path]  # fmt: skip
    return ApplicationRecord(
        application_id=f"app_{next(_n)}", owner="u1", status=status,
        profile={}, request={}, created_at=start, updated_at=start, history=history,
    )  # fmt: skip


def ev(kind: str, payload: dict[str, Any], thread: str | None = None, at: int = 0) -> EventRecord:
    return EventRecord(event_id=f"evt_{next(_n)}", kind=kind, thread_id=thread,
                       payload=payload, at=T0 + timedelta(seconds=at))  # fmt: skip


def step(channel: str, name: str, session: str) -> EventRecord:
    return ev("step", {"channel": channel, "step": name, "session": session})


APPS = [
    app("approved", [("approved", 0)]),
    app("offer_accepted", [("approved", 0), ("offer_accepted", 60)]),
    app("declined", [("declined", 0)], day=1),
    app("approved", [("under_review", 0), ("approved", 3600)], day=1),
    app("under_review", [("under_review", 0)], day=1),
]


def test_rates_and_time_to_decision_on_a_known_set() -> None:
    r = compute_kpis(APPS, [])
    assert r.applications == 5 and r.by_status["approved"] == 2
    assert r.approval_rate == 0.6 and r.decline_rate == 0.2 and r.referral_rate == 0.4
    assert r.offer_acceptance_rate == round(1 / 3, 4)
    assert r.submissions_per_day == 2.5
    assert r.daily_submissions == {"2026-11-02": 2, "2026-11-03": 3}
    # decisions after 0, 0, 0 and 3600 s: p50 = 0, p95 = 0.95 quantile by linear interpolation
    assert r.time_to_decision_p50_s == 0.0
    assert r.time_to_decision_p95_s == 3060.0


def test_window_excludes_older_records() -> None:
    r = compute_kpis(APPS, [], since=T0 + timedelta(hours=12))
    assert r.applications == 3 and r.approval_rate == round(1 / 3, 4)


def test_negotiation_rate_and_concession_from_the_thread_offers() -> None:
    offers = {"offers": [{"offer_id": "1", "annual_rate_pct": "9.50"}]}
    events = [
        ev("submitted", {"application_id": APPS[0].application_id, **offers}, "t1", at=1),
        ev(
            "negotiated",
            {
                "application_id": APPS[0].application_id,
                "offer_id": "1",
                "met": True,
                "rate_after_pct": "9.00",
            },
            "t1",
            at=5,
        ),  # fmt: skip
        ev(
            "negotiated",
            {
                "application_id": APPS[0].application_id,
                "offer_id": "1",
                "met": False,
                "rate_after_pct": None,
            },
            "t1",
            at=9,
        ),  # fmt: skip
    ]
    r = compute_kpis(APPS, events)
    assert r.negotiation_rate == round(1 / 3, 4)  # one of three approved applications
    assert r.negotiation_met_rate == 0.5
    assert r.mean_concession_pct == 0.5


def test_feedback_is_read_back_from_the_event_log(tmp_path) -> None:
    db = Database(tmp_path / "e.sqlite")
    repo = SqliteEventRepository(db, FixedClock(T0))
    for rating, thumb in ((5, None), (2, None), (None, "up"), (None, "down"), (None, "down")):
        record_feedback_event(repo, FeedbackRecord(feedback_id=f"f{next(_n)}", owner="u",
                              rating=rating, thumb=thumb, created_at=T0))  # fmt: skip
    fb = compute_kpis([], repo.recent(None, limit=100)).feedback
    assert (fb.ratings, fb.mean_rating, fb.thumbs_up, fb.thumbs_down) == (2, 3.5, 1, 2)
    assert fb.thumbs_down_share == round(2 / 3, 4)


def test_funnel_on_scripted_sessions_counts_furthest_step() -> None:
    sessions = {
        "a": ["about_you", "work_income", "savings_credit", "loan", "review", "submitted"],
        "b": ["about_you", "work_income"],
        "c": ["about_you", "loan"],  # skipped steps still count as reached
        "d": ["about_you"],
    }
    events = [step("form", s, sid) for sid, steps in sessions.items() for s in steps]
    events += [step("chat", "conversation", "x"), step("form", "not_a_step", "e")]
    f = funnel(events, "form")
    assert [s.sessions for s in f.steps] == [4, 3, 2, 2, 1, 1]
    assert [s.drop_off for s in f.steps] == [None, 0.25, round(1 / 3, 4), 0.0, 0.5, 0.0]
    assert f.conversion == 0.25
    assert funnel(events, "chat").steps[0].sessions == 1
