"""Business events in DynamoDB, sharded so no partition takes every write."""

from __future__ import annotations

import json
import zlib
from datetime import timedelta
from typing import Any

from core.clock import Clock
from core.ids import new_id
from storage.dynamodb_records import DynamoTable
from storage.events import EventRecord


class DynamoEventRepository:
    """Append-only events, listable overall and by kind, spread over day x shard partitions.

    One `EVENTS` partition would take every write of the service (DynamoDB caps a partition
    at about 1,000 writes/s). Each event goes to `EVENTS#<day>#<shard>` (gsi1) and
    `EVENTS#<kind>#<day>#<shard>` (gsi2), the shard from its id; `recent` reads the shards of
    a day newest first and walks back day by day until it has enough or `lookback_days` ran out.
    """

    def __init__(
        self, table: DynamoTable, clock: Clock, *, shards: int = 8, lookback_days: int = 31
    ) -> None:
        self._t = table
        self._clock = clock
        self._shards = shards
        self._lookback = lookback_days

    def _shard(self, event_id: str) -> int:
        return zlib.crc32(event_id.encode()) % self._shards

    def record(self, event: str, thread_id: str | None, payload: dict[str, Any]) -> None:
        """Store one event."""
        rec = EventRecord(
            event_id=new_id("evt"),
            kind=event,
            thread_id=thread_id,
            payload=json.loads(json.dumps(payload, default=str)),
            at=self._clock.now(),
        )
        at = f"{rec.at.isoformat()}#{rec.event_id}"
        where = f"{rec.at.date().isoformat()}#{self._shard(rec.event_id)}"
        self._t.table.put_item(
            Item={
                "pk": f"EVENT#{rec.event_id}",
                "sk": "META",
                "gsi1pk": f"EVENTS#{where}",
                "gsi1sk": at,
                "gsi2pk": f"EVENTS#{event}#{where}",
                "gsi2sk": at,
                "data": rec.model_dump_json(),
            }
        )

    def recent(self, kind: str | None = None, limit: int = 100) -> list[EventRecord]:
        """Return the newest events, optionally of one kind."""
        index, stem = ("gsi1", "EVENTS") if kind is None else ("gsi2", f"EVENTS#{kind}")
        today = self._clock.now().date()
        found: list[dict[str, Any]] = []
        for back in range(self._lookback):
            day = (today - timedelta(days=back)).isoformat()
            for shard in range(self._shards):
                key = f"{stem}#{day}#{shard}"
                found += self._t.query_index(index, key, newest_first=True, limit=limit)
            if len(found) >= limit:
                break  # older days can only hold older events
        found.sort(key=lambda i: str(i[f"{index}sk"]), reverse=True)
        return [EventRecord.model_validate_json(i["data"]) for i in found[:limit]]
