"""DynamoDB backend: one table (pk/sk) with two GSIs (created by `loan-advisor aws bootstrap`).

Item layout (pk / sk; gsi1 = owner lists, gsi2 = status queues and event kinds):
  USER#<email> / USER                      user record
  THREAD#<id> / META     gsi1 OWNER#<o>#THREAD        thread
  APP#<id> / META        gsi1 OWNER#<o>#APP, gsi2 STATUS#<s>   application
  APP#<id> / HIST#<seq>                    one status change
  IDEM#<owner>#<key> / IDEM                idempotency key -> application id
  OFFER#<id> / META      gsi1 APPOFFERS#<app>          offer
  DOC#<id> / META        gsi1 OWNER#<o>#DOC            document
  FEEDBACK#<id> / META and FEEDBACK / SUMMARY (atomic counters)
  FBREVIEW#<id> / META   gsi2 FBREVIEWS#<status>      feedback review item
  EVENT#<id> / META      gsi1 EVENTS#<day>#<shard>, gsi2 EVENTS#<kind>#<day>#<shard>
Conditional writes make idempotent submits and status transitions atomic.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from core.clock import Clock
from core.errors import Conflict, NotFound, ValidationFailed
from storage.dynamodb_records import DynamoTable
from storage.records import ApplicationRecord, ApplicationStatus, StatusChange, UserRecord
from storage.threads import ThreadRecord


class DynamoUserRepository:
    """Local identity-provider accounts keyed by email."""

    def __init__(self, table: DynamoTable) -> None:
        self._t = table

    def create(self, user: UserRecord) -> None:
        """Store a new user; a taken email is a `Conflict`."""
        item = {"pk": f"USER#{user.email.lower()}", "sk": "USER", "data": user.model_dump_json()}
        try:
            self._t.table.put_item(Item=item, ConditionExpression="attribute_not_exists(pk)")
        except ClientError as exc:
            if _conditional(exc):
                raise Conflict("an account with this email already exists", field="email") from exc
            raise

    def get_by_email(self, email: str) -> UserRecord | None:
        """Return the user with this email, or None."""
        item = self._t.get(f"USER#{email.lower()}", "USER")
        return UserRecord.model_validate_json(item["data"]) if item else None

    def set_role(self, user_id: str, role: str) -> None:
        """Change a user's role (needs a scan by id: only used for staff seeding)."""
        for item in self._t.scan_prefix("USER#"):
            user = UserRecord.model_validate_json(item["data"])
            if user.user_id == user_id:
                self._t.table.put_item(
                    Item={**item, "data": user.model_copy(update={"role": role}).model_dump_json()}
                )


class DynamoThreadRepository:
    """Thread ownership and titles."""

    def __init__(self, table: DynamoTable, clock: Clock) -> None:
        self._t = table
        self._clock = clock

    def create(self, thread_id: str, owner: str, title: str) -> ThreadRecord:
        """Store a new thread owned by `owner`."""
        now = self._clock.now()
        record = ThreadRecord(
            thread_id=thread_id, owner=owner, title=title, created_at=now, updated_at=now
        )
        self._put(record)
        return record

    def _put(self, record: ThreadRecord) -> None:
        self._t.table.put_item(
            Item={
                "pk": f"THREAD#{record.thread_id}",
                "sk": "META",
                "gsi1pk": f"OWNER#{record.owner}#THREAD",
                "gsi1sk": record.updated_at.isoformat(),
                "data": record.model_dump_json(),
            }
        )

    def get(self, thread_id: str) -> ThreadRecord | None:
        """Return the thread, or None."""
        item = self._t.get(f"THREAD#{thread_id}", "META")
        return ThreadRecord.model_validate_json(item["data"]) if item else None

    def list_for(self, owner: str, limit: int = 50) -> list[ThreadRecord]:
        """Return `owner`'s threads, most recently used first."""
        items = self._t.query_index("gsi1", f"OWNER#{owner}#THREAD", newest_first=True, limit=limit)
        return [ThreadRecord.model_validate_json(i["data"]) for i in items]

    def touch(self, thread_id: str, title: str | None = None) -> None:
        """Mark the thread as used now, optionally setting its title."""
        record = self.get(thread_id)
        if record is not None:
            update: dict[str, Any] = {"updated_at": self._clock.now()}
            if title is not None:
                update["title"] = title
            self._put(record.model_copy(update=update))


class DynamoApplicationRepository:
    """Applications, history and idempotency keys with transactional conditional writes."""

    def __init__(self, table: DynamoTable) -> None:
        self._t = table

    def submit(
        self, record: ApplicationRecord, idempotency_key: str | None, request_hash: str
    ) -> tuple[ApplicationRecord, bool]:
        """Store `record` unless the owner already used `idempotency_key`; one transaction."""
        puts = [self._meta_item(record)] + [
            self._history_item(record.application_id, seq, c)
            for seq, c in enumerate(record.history)
        ]
        if idempotency_key is not None:
            puts.insert(
                0,
                {
                    "pk": f"IDEM#{record.owner}#{idempotency_key}",
                    "sk": "IDEM",
                    "request_hash": request_hash,
                    "application_id": record.application_id,
                },
            )
        try:
            self._t.transact_put(puts)
        except ClientError as exc:
            if idempotency_key is None or not _cancelled(exc):
                raise
            key = self._t.get(f"IDEM#{record.owner}#{idempotency_key}", "IDEM", consistent=True)
            if key is None:
                raise
            if key["request_hash"] != request_hash:
                raise ValidationFailed(
                    "this Idempotency-Key was already used with a different request",
                    field="Idempotency-Key",
                ) from exc
            existing = self.get(str(key["application_id"]))
            if existing is None:  # pragma: no cover - written in the same transaction
                raise
            return existing, False
        return record, True

    @staticmethod
    def _meta_item(r: ApplicationRecord) -> dict[str, Any]:
        body = r.model_dump_json(exclude={"history", "status", "updated_at", "decision"})
        return {
            "pk": f"APP#{r.application_id}",
            "sk": "META",
            "gsi1pk": f"OWNER#{r.owner}#APP",
            "gsi1sk": r.created_at.isoformat(),
            "gsi2pk": f"STATUS#{r.status}",
            "gsi2sk": r.created_at.isoformat(),
            "status": r.status,
            "updated_at": r.updated_at.isoformat(),
            "decision": _json(r.decision),
            "data": body,
        }

    @staticmethod
    def _history_item(application_id: str, seq: int, c: StatusChange) -> dict[str, Any]:
        return {"pk": f"APP#{application_id}", "sk": f"HIST#{seq:05d}", "data": c.model_dump_json()}

    def get(self, application_id: str) -> ApplicationRecord | None:
        """Return the application with its history, or None."""
        items = self._t.query_pk(f"APP#{application_id}")
        meta = next((i for i in items if i["sk"] == "META"), None)
        if meta is None:
            return None
        history = [StatusChange.model_validate_json(i["data"]) for i in items if i["sk"] != "META"]
        data = json.loads(meta["data"])
        data.update(
            status=meta["status"],
            updated_at=meta["updated_at"],
            decision=json.loads(meta["decision"]) if meta.get("decision") else None,
            history=[h.model_dump() for h in history],
        )
        return ApplicationRecord.model_validate(data)

    def _ids(self, index: str, key: str, limit: int, newest_first: bool) -> list[ApplicationRecord]:
        items = self._t.query_index(index, key, newest_first=newest_first, limit=limit)
        found = (self.get(str(i["pk"]).removeprefix("APP#")) for i in items)
        return [r for r in found if r is not None]

    def list_for(self, owner: str, limit: int = 50) -> list[ApplicationRecord]:
        """Return `owner`'s applications, newest first."""
        return self._ids("gsi1", f"OWNER#{owner}#APP", limit, newest_first=True)

    def for_thread(self, owner: str, thread_id: str) -> ApplicationRecord | None:
        """Return the newest application `owner` submitted in conversation `thread_id`.

        The owner index projects every attribute, so one query finds the thread's newest
        application and one read fetches it with its history.
        """
        items = self._t.query_index("gsi1", f"OWNER#{owner}#APP", newest_first=True, limit=200)
        for item in items:
            if json.loads(item["data"]).get("thread_id") == thread_id:
                return self.get(str(item["pk"]).removeprefix("APP#"))
        return None

    def list_by_status(self, status: str, limit: int = 100) -> list[ApplicationRecord]:
        """Return applications in `status`, oldest first."""
        return self._ids("gsi2", f"STATUS#{status}", limit, newest_first=False)

    def transition(
        self,
        application_id: str,
        to: str,
        *,
        expected: str,
        actor: str,
        at: datetime,
        note: str = "",
        decision: dict[str, Any] | None = None,
    ) -> ApplicationRecord:
        """Move from `expected` to `to`; the write is conditional on that status."""
        current = self.get(application_id)
        if current is None:
            raise NotFound(f"no application {application_id!r}", field="application_id")
        if current.status != expected:
            raise Conflict(f"the application is {current.status} now (not {expected}); reload")
        change = StatusChange(status=to, at=at, actor=actor, note=note)
        sets = "SET #s = :to, updated_at = :at, gsi2pk = :g"
        values: dict[str, Any] = {
            ":to": to,
            ":at": at.isoformat(),
            ":g": f"STATUS#{to}",
            ":from": current.status,
        }
        if decision is not None:
            sets += ", decision = :d"
            values[":d"] = _json(decision)
        try:
            self._t.transact(
                [
                    {
                        "Update": {
                            "Key": {"pk": f"APP#{application_id}", "sk": "META"},
                            "UpdateExpression": sets,
                            "ConditionExpression": "#s = :from",
                            "ExpressionAttributeNames": {"#s": "status"},
                            "ExpressionAttributeValues": values,
                        }
                    },
                    {
                        "Put": {
                            "Item": self._history_item(
                                application_id, len(current.history), change
                            ),
                            "ConditionExpression": "attribute_not_exists(pk)",
                        }
                    },
                ]
            )
        except ClientError as exc:
            if _cancelled(exc):
                raise Conflict("the application changed meanwhile; reload and retry") from exc
            raise
        updated = self.get(application_id)
        assert updated is not None
        return updated

    def count_by_status(self) -> dict[str, int]:
        """Return how many applications sit in each status."""
        counts = {s: self._t.count_index("gsi2", f"STATUS#{s}") for s in ApplicationStatus}
        return {s: n for s, n in counts.items() if n}


def _json(value: Any) -> str | None:
    return json.dumps(value) if value is not None else None


def _conditional(exc: ClientError) -> bool:
    return bool(exc.response["Error"]["Code"] == "ConditionalCheckFailedException")


def _cancelled(exc: ClientError) -> bool:
    return exc.response["Error"]["Code"] in (
        "TransactionCanceledException",
        "ConditionalCheckFailedException",
    )
