"""The batched analytics event log: queued writes, one transaction per batch, nothing lost."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from datetime import UTC, datetime

from core.clock import FixedClock
from storage.event_batching import BatchedEventLog, record_event
from storage.events import SqliteEventRepository
from storage.sqlite import Database

CLOCK = FixedClock(datetime(2026, 12, 2, tzinfo=UTC))


def _repo(tmp_path) -> SqliteEventRepository:
    return SqliteEventRepository(Database(tmp_path / "e.sqlite"), CLOCK)


def _commits(tmp_path):  # noqa: ANN202
    """A trace of the statements every connection opened from now on runs."""
    seen: list[str] = []
    real = sqlite3.connect

    def connect(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        conn = real(*args, **kwargs)
        conn.set_trace_callback(seen.append)
        return conn

    return connect, seen


def test_record_many_is_one_transaction(tmp_path, monkeypatch) -> None:
    connect, seen = _commits(tmp_path)
    monkeypatch.setattr(sqlite3, "connect", connect)
    repo = _repo(tmp_path)
    seen.clear()
    repo.record_many([("question", "thr_1", {"text": "hi"}), ("step", "thr_1", {"step": "a"})])
    assert [s for s in seen if s in ("BEGIN IMMEDIATE", "COMMIT")] == ["BEGIN IMMEDIATE", "COMMIT"]
    assert {e.kind for e in repo.recent()} == {"question", "step"}


def test_queued_events_are_written_together_by_the_writer(tmp_path) -> None:
    repo = _repo(tmp_path)
    log = BatchedEventLog(repo, linger_s=0.05)
    batches: list[int] = []
    real = repo.record_many

    def counting(events):  # noqa: ANN001, ANN202
        real(events)
        batches.append(len(events))  # after the commit: the poll below then sees the rows

    repo.record_many = counting  # type: ignore[method-assign]
    for n in range(30):
        log.record("question", f"thr_{n}", {"n": n})
    deadline = time.monotonic() + 5
    while sum(batches) < 30 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert sum(batches) == 30 and len(batches) < 30  # batched, not one commit per event
    assert len(repo.recent(limit=100)) == 30
    log.close()


def test_recent_sees_what_this_process_queued(tmp_path) -> None:
    log = BatchedEventLog(_repo(tmp_path), linger_s=60)  # the writer would wait a minute
    log.record("exposure", "thr_1", {"variant": "a"})
    assert [e.kind for e in log.recent()] == ["exposure"]
    log.close()


def test_close_writes_what_is_queued(tmp_path) -> None:
    repo = _repo(tmp_path)
    log = BatchedEventLog(repo, linger_s=60)
    log.record("question", "thr_1", {"text": "hi"})
    log.record("question", "thr_2", {"text": "ho"})
    started = time.monotonic()
    log.close()
    assert time.monotonic() - started < 5  # the writer stops without waiting out its linger
    assert sorted(e.thread_id or "" for e in repo.recent()) == ["thr_1", "thr_2"]


def test_a_failing_store_does_not_stop_the_writer(tmp_path) -> None:
    repo = _repo(tmp_path)
    log = BatchedEventLog(repo, linger_s=0.01)
    real = repo.record_many
    calls: list[int] = []

    def flaky(events):  # noqa: ANN001, ANN202
        calls.append(len(events))
        if len(calls) == 1:
            raise sqlite3.OperationalError("disk I/O error")
        real(events)

    repo.record_many = flaky  # type: ignore[method-assign]
    log.record("question", "lost", {})
    deadline = time.monotonic() + 5
    while not calls and time.monotonic() < deadline:
        time.sleep(0.01)
    log.record("question", "kept", {})
    log.close()
    assert [e.thread_id for e in repo.recent()] == ["kept"]


def test_record_event_queues_in_place_or_writes_in_the_pool(tmp_path) -> None:
    repo = _repo(tmp_path)
    log = BatchedEventLog(repo, linger_s=60)
    asyncio.run(record_event(log, "exposure", "thr_q", {}))
    assert repo.recent() == []  # queued, not yet written
    asyncio.run(record_event(repo, "exposure", "thr_d", {}))
    assert [e.thread_id for e in repo.recent()] == ["thr_d"]
    log.close()
    assert {e.thread_id for e in repo.recent()} == {"thr_q", "thr_d"}
