"""KPI computation time on a synthetic store: N applications and 5N events.

Prints the figures and ends with one JSON line.
"""

from __future__ import annotations

import json
import random
import sys
import time
from datetime import UTC, datetime, timedelta

from storage.events import EventRecord
from storage.funnel import FORM_STEPS
from storage.kpis import compute_kpis
from storage.records import ApplicationRecord, StatusChange

T0 = datetime(2026, 10, 1, tzinfo=UTC)


def synthetic(n: int, seed: int = 0) -> tuple[list[ApplicationRecord], list[EventRecord]]:
    """Applications with plausible histories and step / feedback / negotiation events."""
    rng = random.Random(seed)
    apps, events = [], []
    for i in range(n):
        at = T0 + timedelta(minutes=rng.randrange(60 * 24 * 60))
        final = rng.choices(["approved", "declined", "under_review", "offer_accepted"],
                            [5, 3, 1, 2])[0]  # fmt: skip
        path = ["approved", "offer_accepted"] if final == "offer_accepted" else [final]
        hist = [StatusChange(status="received", at=at, actor="system")] + [
            StatusChange(status=s, at=at + timedelta(seconds=rng.random() * 600), actor="system")
            for s in path
        ]
        apps.append(ApplicationRecord(application_id=f"app_{i}", owner="u", status=final,
                                      profile={}, request={}, created_at=at, updated_at=at,
                                      history=hist))  # fmt: skip
        for step in FORM_STEPS[: rng.randint(1, len(FORM_STEPS))]:
            events.append(EventRecord(event_id=f"s{i}{step}", kind="step", thread_id=None,
                                      payload={"channel": "form", "step": step,
                                               "session": f"s{i}"}, at=at))  # fmt: skip
        if rng.random() < 0.3:
            events.append(EventRecord(event_id=f"f{i}", kind="feedback", thread_id=f"t{i}",
                                      payload={"rating": rng.randint(1, 5)}, at=at))  # fmt: skip
    return apps, events


def main() -> None:
    """Time compute_kpis over synthetic stores of growing size."""
    sizes = [int(a) for a in sys.argv[1:]] or [1000, 10_000]
    results = {}
    for n in sizes:
        apps, events = synthetic(n)
        start = time.perf_counter()
        compute_kpis(apps, events)
        ms = (time.perf_counter() - start) * 1000
        results[f"kpis_ms_{n}_apps_{len(events)}_events"] = round(ms, 1)
        print(f"{n} applications, {len(events)} events: {ms:.1f} ms")  # noqa: T201
    print(json.dumps({"bench": "ops", **results}))  # noqa: T201


if __name__ == "__main__":
    main()
