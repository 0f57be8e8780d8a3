"""Experiments in the DynamoDB records table (AWS mode), the same contract as the SQLite store.

Single-table layout beside the other records (no new table for bootstrap or the CDK stack):

| item | pk | sk |
|---|---|---|
| a version | `EXPERIMENT#<key>` | `V#<version:06d>` |
| a running guard | `EXPRUNNING#key#<key>`, `EXPRUNNING#surface#<s>` | `META` |
| an exposure | `EXPOSURE#<experiment id>#<shard>` | `USER#<user>` |

Versions are also on gsi1 (`EXPERIMENTS`, all of them: `latest`) and gsi2 (`EXPSTATUS#<status>`:
`running`), both sorted by `<key>#<version>`.

"One running version per key and per surface" cannot be a transaction over a query, so starting
writes two guard items (each only if absent) in the same transaction as the status change, and
stopping deletes them: two concurrent starts cannot both succeed. Exposures are a conditional
put (absent only), so the first sight wins; they are spread over `shards` partitions because a
running experiment takes one write per new user and a partition caps writes at about 1,000/s.
"""

from __future__ import annotations

import zlib
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from core.clock import Clock
from core.errors import Conflict, NotFound
from experiments.definition import ExperimentDefinition, parse_definition
from experiments.store import Exposure
from storage.dynamodb_records import DynamoTable

ALL = "EXPERIMENTS"


def _pk(key: str) -> str:
    return f"EXPERIMENT#{key}"


def _sk(version: int) -> str:
    return f"V#{version:06d}"


def _guards(d: ExperimentDefinition) -> list[dict[str, str]]:
    return [
        {"pk": f"EXPRUNNING#key#{d.key}", "sk": "META"},
        {"pk": f"EXPRUNNING#surface#{d.surface}", "sk": "META"},
    ]


def _conditional_failure(exc: ClientError) -> bool:
    code = exc.response.get("Error", {}).get("Code", "")
    return code in ("ConditionalCheckFailedException", "TransactionCanceledException")


class DynamoExperimentStore:
    """Experiment versions and exposures in the records table (see the module docstring)."""

    def __init__(self, table: DynamoTable, clock: Clock, *, shards: int = 8) -> None:
        self._t = table
        self._clock = clock
        self._shards = shards

    def _item(self, d: ExperimentDefinition) -> dict[str, Any]:
        order = f"{d.key}#{d.version:06d}"
        return {
            "pk": _pk(d.key),
            "sk": _sk(d.version),
            "gsi1pk": ALL,
            "gsi1sk": order,
            "gsi2pk": f"EXPSTATUS#{d.status}",
            "gsi2sk": order,
            "status": d.status,
            "surface": d.surface,
            "definition": d.to_yaml(),
        }

    def save(self, definition: ExperimentDefinition) -> ExperimentDefinition:
        """Store a new version, or replace a draft's; a non-draft's design is a `Conflict`."""
        row = self._t.get(_pk(definition.key), _sk(definition.version), consistent=True)
        if row is None:
            new = definition.model_copy(update={"status": "draft"})
            condition: dict[str, Any] = {"ConditionExpression": "attribute_not_exists(pk)"}
        else:
            old = parse_definition(str(row["definition"]))
            new = old.revised_by(definition)
            condition = {
                "ConditionExpression": "#s = :s",
                "ExpressionAttributeNames": {"#s": "status"},
                "ExpressionAttributeValues": {":s": old.status},
            }
        try:
            self._t.table.put_item(Item=self._item(new), **condition)
        except ClientError as exc:
            if _conditional_failure(exc):
                raise Conflict(f"{new.experiment_id} changed meanwhile; retry") from None
            raise
        return new

    def get(self, key: str, version: int | None = None) -> ExperimentDefinition:
        """Return a version (default the newest); `NotFound` if there is none."""
        if version is not None:
            row = self._t.get(_pk(key), _sk(version), consistent=True)
            rows = [] if row is None else [row]
        else:
            rows = self._t.query_pk(_pk(key))  # by sort key: the newest version is last
        if not rows:
            suffix = f" version {version}" if version is not None else ""
            raise NotFound(f"no experiment {key!r}{suffix}", field="key")
        return parse_definition(str(rows[-1]["definition"]))

    def _index(self, index: str, pk: str) -> list[ExperimentDefinition]:
        rows = self._t.query_index(index, pk, newest_first=False, limit=100_000)
        return [parse_definition(str(r["definition"])) for r in rows]

    def latest(self, include_archived: bool = False) -> list[ExperimentDefinition]:
        """Return the newest version of each experiment."""
        newest: dict[str, ExperimentDefinition] = {}
        for d in self._index("gsi1", ALL):  # ordered by key then version: the last one wins
            newest[d.key] = d
        found = [newest[k] for k in sorted(newest)]
        return [d for d in found if include_archived or d.status != "archived"]

    def running(self, surface: str | None = None) -> list[ExperimentDefinition]:
        """Return the running experiments, optionally on one surface."""
        found = self._index("gsi2", "EXPSTATUS#running")
        return [d for d in found if surface in (None, d.surface)]

    def transition(self, key: str, version: int, action: str) -> ExperimentDefinition:
        """Apply start/stop/archive (stamping start/stop times); illegal ones are a `Conflict`."""
        current = self.get(key, version)
        new = current.moved(action, self._clock.now())
        ops: list[dict[str, Any]] = [
            {
                "Put": {
                    "Item": self._item(new),
                    "ConditionExpression": "#s = :s",
                    "ExpressionAttributeNames": {"#s": "status"},
                    "ExpressionAttributeValues": {":s": current.status},
                }
            }
        ]
        if action == "start":
            owner = {"experiment_id": current.experiment_id, "surface": current.surface}
            ops += [
                {"Put": {"Item": {**g, **owner}, "ConditionExpression": "attribute_not_exists(pk)"}}
                for g in _guards(current)
            ]
        elif action == "stop":
            ops += [{"Delete": {"Key": g}} for g in _guards(current)]
        try:
            self._t.transact(ops)
        except ClientError as exc:
            if not _conditional_failure(exc):
                raise
            raise self._start_conflict(current) from None
        return new

    def _start_conflict(self, d: ExperimentDefinition) -> Conflict:
        """Name what blocked a transition (a running clash, or a concurrent change)."""
        for guard in _guards(d):
            held = self._t.get(guard["pk"], "META", consistent=True)
            if held is not None and held.get("experiment_id") != d.experiment_id:
                return Conflict(
                    f"{held['experiment_id']} is running on {held.get('surface')}; stop it first"
                )
        return Conflict(f"{d.experiment_id} changed meanwhile; retry")

    def _shard(self, user_id: str) -> int:
        return zlib.crc32(user_id.encode()) % self._shards

    def expose(self, experiment_id: str, user_id: str, arm: str) -> bool:
        """Record that `user_id` saw `arm`; returns False if they were exposed before."""
        item = {
            "pk": f"EXPOSURE#{experiment_id}#{self._shard(user_id)}",
            "sk": f"USER#{user_id}",
            "arm": arm,
            "at": self._clock.now().isoformat(),
        }
        try:
            self._t.table.put_item(Item=item, ConditionExpression="attribute_not_exists(pk)")
        except ClientError as exc:
            if _conditional_failure(exc):
                return False
            raise
        return True

    def exposures(self, experiment_id: str) -> list[Exposure]:
        """Return every exposure of an experiment, oldest first."""
        by_user: dict[str, Exposure] = {}
        for shard in range(self._shards):
            for row in self._t.query_pk(f"EXPOSURE#{experiment_id}#{shard}"):
                user = str(row["sk"]).removeprefix("USER#")
                by_user[user] = Exposure(
                    experiment_id=experiment_id,
                    user_id=user,
                    arm=str(row["arm"]),
                    at=datetime.fromisoformat(str(row["at"])),
                )
        return sorted(by_user.values(), key=lambda e: e.at)
