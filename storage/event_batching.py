"""One writer for the chat's analytics events: queued, and stored a batch per transaction.

A chat turn reports three analytics events (its funnel step, the redacted question, the
prompt exposure). Written one by one, each was a commit on app.sqlite and a thread-pool hop,
and with two API workers every one of those commits queued for the file's single write
lock, which is what held two workers' chat p95 above a second. Here `record` only queues
the event; one thread per process drains the queue and writes everything queued in one
transaction, so under load a commit carries the events of many turns.

What this trades: the events of the last `linger_s` seconds are lost if the process is
killed (a clean shutdown writes them; `close`). They are analytics, not records: the
business events the tools report (submitted, accepted, handover) and the applications
themselves are written synchronously elsewhere and are untouched. `recent` first writes
what this process has queued, so a reader in the same process sees its own events.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Sequence
from typing import Any

from storage.events import EventRecord, EventRepository, PendingEvent

log = logging.getLogger(__name__)
LINGER_S = 0.02  # how long the writer gathers events after the first: a batch per 20 ms


def _write(inner: EventRepository, batch: Sequence[PendingEvent]) -> None:
    record_many = getattr(inner, "record_many", None)
    if record_many is not None:
        record_many(batch)
        return
    for kind, thread, payload in batch:  # a store without batches: still off the caller's path
        inner.record(kind, thread, payload)


class BatchedEventLog:
    """An `EventRepository` whose writes are queued and stored in batches by one thread."""

    def __init__(self, inner: EventRepository, linger_s: float = LINGER_S) -> None:
        """Start the writer thread over `inner` (the store's own event repository)."""
        self._inner = inner
        self._linger = linger_s
        self._pending: list[PendingEvent] = []
        self._queued = threading.Condition()  # guards `_pending`; the writer waits on it
        self._write_lock = threading.Lock()  # one batch at a time: a flushing reader waits
        self._closing = threading.Event()  # cuts the writer's linger short at shutdown
        self._thread = threading.Thread(target=self._run, name="event-writer", daemon=True)
        self._thread.start()

    def record(self, event: str, thread_id: str | None, payload: dict[str, Any]) -> None:
        """Queue one event; it is stored within about `linger_s` seconds."""
        with self._queued:
            self._pending.append((event, thread_id, payload))
            self._queued.notify()

    def recent(self, kind: str | None = None, limit: int = 100) -> list[EventRecord]:
        """Store what is queued, then return the newest events as the store has them."""
        self.flush()
        return self._inner.recent(kind, limit)

    def flush(self) -> None:
        """Write every event queued so far, in one transaction (blocking I/O).

        The write lock is held from taking the batch to its commit, so a reader that flushes
        while the writer's batch is in flight waits for that commit and then sees it.
        """
        with self._write_lock:
            with self._queued:
                batch, self._pending = self._pending, []
            if batch:
                _write(self._inner, batch)

    def close(self) -> None:
        """Write what is queued and stop the writer thread."""
        self._closing.set()
        with self._queued:
            self._queued.notify()
        self._thread.join(timeout=10)
        self.flush()

    def _run(self) -> None:
        while not self._closing.is_set():
            with self._queued:
                while not self._pending and not self._closing.is_set():
                    self._queued.wait()
            self._closing.wait(self._linger)  # let the other turns' events arrive
            try:
                self.flush()
            except Exception:  # analytics must never stop the writer; logged, dropped
                log.exception("could not store a batch of analytics events")


async def record_event(
    events: EventRepository, kind: str, thread_id: str | None, payload: dict[str, Any]
) -> None:
    """Record from the event loop: queued in place when batched, else in the thread pool."""
    if isinstance(events, BatchedEventLog):
        events.record(kind, thread_id, payload)
    else:
        await asyncio.to_thread(events.record, kind, thread_id, payload)
