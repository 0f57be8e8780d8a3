"""The DynamoDB table helper and the offer, document and feedback repositories."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from boto3.dynamodb.conditions import Attr, Key
from botocore.exceptions import ClientError

from core.errors import Conflict, NotFound
from storage.records import DocumentRecord, FeedbackRecord, OfferRecord


class DynamoTable:
    """One single-table-design table and the few access patterns the repositories use."""

    def __init__(self, resource: Any, name: str, *, page: int = 0) -> None:
        """Wrap table `name` of a boto3 DynamoDB resource.

        `page` caps items per request (0: DynamoDB's own 1 MB pages); tests set it low to
        exercise pagination on a few items.
        """
        self.table = resource.Table(name)
        self.client = resource.meta.client
        self.name = name
        self.page = page

    def ping(self) -> None:
        """Raise unless the table answers."""
        self.client.describe_table(TableName=self.name)

    def get(self, pk: str, sk: str, consistent: bool = False) -> dict[str, Any] | None:
        """Return one item or None."""
        item: dict[str, Any] | None = self.table.get_item(
            Key={"pk": pk, "sk": sk}, ConsistentRead=consistent
        ).get("Item")
        return item

    def _pages(self, operation: str, **kwargs: Any) -> Iterator[dict[str, Any]]:
        """Yield every response page, following `LastEvaluatedKey` (boto3's paginator).

        The resource's client carries boto3's high-level transformation, so conditions and
        values go in as Python objects and items come back as plain Python values.
        """
        paginator = self.client.get_paginator(operation)
        yield from paginator.paginate(TableName=self.name, **kwargs)

    def _items(self, operation: str, limit: int | None = None, **kwargs: Any) -> list[Any]:
        items: list[Any] = []
        config: dict[str, int] = {"PageSize": self.page} if self.page else {}
        if limit is not None:
            # PageSize bounds each request; MaxItems stops the paginator after `limit` items.
            config = {"MaxItems": limit, "PageSize": min(limit, self.page or limit)}
        if config:
            kwargs["PaginationConfig"] = config
        for page in self._pages(operation, **kwargs):
            items.extend(page.get("Items", []))
        return items if limit is None else items[:limit]

    def query_pk(self, pk: str) -> list[dict[str, Any]]:
        """Return every item under one partition key, by sort key (strongly consistent)."""
        return self._items("query", KeyConditionExpression=Key("pk").eq(pk), ConsistentRead=True)

    def query_index(
        self, index: str, pk: str, *, newest_first: bool, limit: int
    ) -> list[dict[str, Any]]:
        """Return up to `limit` items of a GSI partition ordered by its sort key."""
        return self._items(
            "query",
            limit,
            IndexName=index,
            KeyConditionExpression=Key(f"{index}pk").eq(pk),
            ScanIndexForward=not newest_first,
        )

    def count_index(self, index: str, pk: str) -> int:
        """Return how many items a GSI partition holds (one page holds at most 1 MB)."""
        kwargs: dict[str, Any] = {}
        if self.page:
            kwargs["PaginationConfig"] = {"PageSize": self.page}
        pages = self._pages(
            "query",
            IndexName=index,
            KeyConditionExpression=Key(f"{index}pk").eq(pk),
            Select="COUNT",
            **kwargs,
        )
        return sum(int(page["Count"]) for page in pages)

    def scan_prefix(self, prefix: str) -> list[dict[str, Any]]:
        """Return items whose pk starts with `prefix` (rare admin paths only)."""
        return self._items("scan", FilterExpression=Attr("pk").begins_with(prefix))

    def transact_put(self, items: list[dict[str, Any]]) -> None:
        """Put every item, each only if absent, all or nothing."""
        self.transact(
            [{"Put": {"Item": i, "ConditionExpression": "attribute_not_exists(pk)"}} for i in items]
        )

    def transact(self, operations: list[dict[str, Any]]) -> None:
        """Run TransactWriteItems with plain Python values.

        The resource's client serialises attribute values itself (boto3 injects the same
        transformation as for `Table`), so items are passed as plain Python here.
        """
        wire = []
        for op in operations:
            ((kind, body),) = op.items()
            wire.append({kind: {**body, "TableName": self.name}})
        self.client.transact_write_items(TransactItems=wire)


class DynamoOfferRepository:
    """Offers; accepting is a conditional update on status = active."""

    def __init__(self, table: DynamoTable) -> None:
        self._t = table

    @staticmethod
    def _item(o: OfferRecord) -> dict[str, Any]:
        return {
            "pk": f"OFFER#{o.offer_id}",
            "sk": "META",
            "gsi1pk": f"APPOFFERS#{o.application_id}",
            "gsi1sk": f"{o.created_at.isoformat()}#{o.offer_id}",
            "status": o.status,
            "data": o.model_dump_json(exclude={"status"}),
        }

    @staticmethod
    def _record(item: dict[str, Any]) -> OfferRecord:
        return OfferRecord.model_validate({**json.loads(item["data"]), "status": item["status"]})

    def replace_active(self, application_id: str, offers: list[OfferRecord]) -> None:
        """Supersede the active offers and add `offers`, in one transaction."""
        active = [o for o in self.list_for(application_id) if o.status == "active"]
        ops: list[dict[str, Any]] = [
            {
                "Update": {
                    "Key": {"pk": f"OFFER#{o.offer_id}", "sk": "META"},
                    "UpdateExpression": "SET #s = :sup",
                    "ConditionExpression": "#s = :act",
                    "ExpressionAttributeNames": {"#s": "status"},
                    "ExpressionAttributeValues": {":sup": "superseded", ":act": "active"},
                }
            }
            for o in active
        ]
        ops += [{"Put": {"Item": self._item(o)}} for o in offers]
        if ops:
            try:
                self._t.transact(ops)
            except ClientError as exc:
                raise Conflict("the offers changed meanwhile; reload and retry") from exc

    def add(self, offers: list[OfferRecord]) -> None:
        """Store `offers` beside the active ones, all or nothing."""
        if offers:
            self._t.transact_put([self._item(o) for o in offers])

    def list_for(self, application_id: str, include_old: bool = False) -> list[OfferRecord]:
        """Return the application's offers (without superseded ones unless asked)."""
        items = self._t.query_index(
            "gsi1", f"APPOFFERS#{application_id}", newest_first=False, limit=500
        )
        found = [self._record(i) for i in items]
        return found if include_old else [o for o in found if o.status != "superseded"]

    def get(self, offer_id: str) -> OfferRecord | None:
        """Return one offer, or None."""
        item = self._t.get(f"OFFER#{offer_id}", "META", consistent=True)
        return self._record(item) if item else None

    def accept(self, offer_id: str) -> OfferRecord:
        """Mark an active offer accepted; anything else is a `Conflict`."""
        try:
            self._t.table.update_item(
                Key={"pk": f"OFFER#{offer_id}", "sk": "META"},
                UpdateExpression="SET #s = :acc",
                ConditionExpression="#s = :act",
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues={":acc": "accepted", ":act": "active"},
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            current = self.get(offer_id)
            if current is None:
                raise NotFound(f"no offer {offer_id!r}", field="offer_id") from exc
            raise Conflict(f"this offer is {current.status} and can no longer be accepted") from exc
        accepted = self.get(offer_id)
        assert accepted is not None
        return accepted


class DynamoDocumentRepository:
    """Document metadata."""

    def __init__(self, table: DynamoTable) -> None:
        self._t = table

    def put(self, record: DocumentRecord) -> None:
        """Store or replace a document's metadata."""
        self._t.table.put_item(
            Item={
                "pk": f"DOC#{record.document_id}",
                "sk": "META",
                "gsi1pk": f"OWNER#{record.owner}#DOC",
                "gsi1sk": record.created_at.isoformat(),
                "data": record.model_dump_json(),
            }
        )

    def get(self, document_id: str) -> DocumentRecord | None:
        """Return one document, or None."""
        item = self._t.get(f"DOC#{document_id}", "META", consistent=True)
        return DocumentRecord.model_validate_json(item["data"]) if item else None

    def list_for(self, owner: str) -> list[DocumentRecord]:
        """Return `owner`'s documents, newest first."""
        items = self._t.query_index("gsi1", f"OWNER#{owner}#DOC", newest_first=True, limit=500)
        return [DocumentRecord.model_validate_json(i["data"]) for i in items]

    def delete(self, document_id: str) -> None:
        """Forget a document's metadata."""
        self._t.table.delete_item(Key={"pk": f"DOC#{document_id}", "sk": "META"})


class DynamoFeedbackRepository:
    """Feedback items plus atomic summary counters (no scans for the dashboard)."""

    def __init__(self, table: DynamoTable) -> None:
        self._t = table

    def add(self, record: FeedbackRecord) -> None:
        """Store one piece of feedback and bump the counters."""
        self._t.table.put_item(
            Item={
                "pk": f"FEEDBACK#{record.feedback_id}",
                "sk": "META",
                "data": record.model_dump_json(),
            }
        )
        adds = {"n_ratings": int(record.rating is not None), "sum_ratings": record.rating or 0}
        adds["up"] = int(record.thumb == "up")
        adds["down"] = int(record.thumb == "down")
        self._t.table.update_item(
            Key={"pk": "FEEDBACK", "sk": "SUMMARY"},
            UpdateExpression="ADD " + ", ".join(f"{k} :{k}" for k in adds),
            ExpressionAttributeValues={f":{k}": v for k, v in adds.items()},
        )

    def summary(self) -> dict[str, float]:
        """Return count, mean rating, thumbs up and down."""
        item = self._t.get("FEEDBACK", "SUMMARY", consistent=True) or {}
        n = float(item.get("n_ratings", Decimal(0)))
        total = float(item.get("sum_ratings", Decimal(0)))
        return {
            "ratings": n,
            "mean_rating": total / n if n else 0.0,
            "thumbs_up": float(item.get("up", 0)),
            "thumbs_down": float(item.get("down", 0)),
        }
