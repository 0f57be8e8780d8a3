"""DynamoDB repository of feedback review items, in the records table (no new index).

  FBREVIEW#<item id> / META    gsi2 FBREVIEWS#<status> / <created at>#<item id>

gsi2 already serves status queues (applications); a status change moves the item to the new
status's partition in the same conditional update, so a queue never lists a stale status.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from core.errors import Conflict, NotFound
from storage.dynamodb_records import DynamoTable
from storage.feedback_reviews import FeedbackReviewRecord, ReviewStatus


class DynamoFeedbackReviewRepository:
    """Review items; opening is a put-if-absent, closing a conditional update on status."""

    def __init__(self, table: DynamoTable) -> None:
        self._t = table

    @staticmethod
    def _key(item_id: str) -> dict[str, str]:
        return {"pk": f"FBREVIEW#{item_id}", "sk": "META"}

    @staticmethod
    def _record(item: dict[str, Any]) -> FeedbackReviewRecord:
        return FeedbackReviewRecord.model_validate_json(item["data"])

    def add(self, record: FeedbackReviewRecord) -> tuple[FeedbackReviewRecord, bool]:
        """Store `record` unless its item exists; return (stored item, created now)."""
        item = {
            **self._key(record.item_id),
            "gsi2pk": f"FBREVIEWS#{record.status}",
            "gsi2sk": f"{record.created_at.isoformat()}#{record.item_id}",
            "status": record.status,
            "data": record.model_dump_json(),
        }
        try:
            self._t.table.put_item(Item=item, ConditionExpression="attribute_not_exists(pk)")
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            existing = self.get(record.item_id)
            assert existing is not None
            return existing, False
        return record, True

    def get(self, item_id: str) -> FeedbackReviewRecord | None:
        """Return one item, or None."""
        item = self._t.get(f"FBREVIEW#{item_id}", "META", consistent=True)
        return self._record(item) if item else None

    def list(self, status: ReviewStatus, limit: int = 200) -> list[FeedbackReviewRecord]:
        """Return items in `status`, oldest first."""
        items = self._t.query_index("gsi2", f"FBREVIEWS#{status}", newest_first=False, limit=limit)
        return [self._record(i) for i in items]

    def _update(
        self, current: FeedbackReviewRecord, updated: FeedbackReviewRecord, expected: str
    ) -> None:
        """Write `updated` only if the stored status is still `expected`."""
        self._t.table.update_item(
            Key=self._key(current.item_id),
            UpdateExpression="SET #s = :to, gsi2pk = :queue, #d = :data",
            ConditionExpression="#s = :expected",
            ExpressionAttributeNames={"#s": "status", "#d": "data"},
            ExpressionAttributeValues={
                ":to": updated.status,
                ":queue": f"FBREVIEWS#{updated.status}",
                ":data": updated.model_dump_json(),
                ":expected": expected,
            },
        )

    def transition(
        self,
        item_id: str,
        to: ReviewStatus,
        *,
        expected: ReviewStatus,
        actor: str,
        at: datetime,
        note: str = "",
    ) -> FeedbackReviewRecord:
        """Move an item from `expected` to `to` in one conditional update."""
        current = self.get(item_id)
        if current is None:
            raise NotFound(f"no review item {item_id!r}", field="item_id")
        changes = {"status": to, "closed_by": actor, "closed_at": at, "note": note}
        updated = current.model_copy(update=changes)
        try:
            self._update(current, updated, expected)
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            now = self.get(item_id)
            raise Conflict(f"this review item is already {now.status if now else 'gone'}") from exc
        return updated

    def link_eval_case(self, item_id: str, file_name: str) -> FeedbackReviewRecord:
        """Record the eval-case draft made from the item (retried if its status moved meanwhile)."""
        for _ in range(3):
            current = self.get(item_id)
            if current is None:
                raise NotFound(f"no review item {item_id!r}", field="item_id")
            updated = current.model_copy(update={"eval_case": file_name})
            try:
                self._update(current, updated, current.status)
            except ClientError as exc:
                if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                    raise
                continue
            return updated
        raise Conflict("the review item changed meanwhile; retry")
