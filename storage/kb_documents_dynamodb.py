"""DynamoDB backend of the knowledge-base document store.

Table layout: partition key `doc_id` (S), sort key `version` (N), one item per version, so
"latest" is a descending query with Limit=1 and old versions stay readable for citations.
"""

from __future__ import annotations

import json
from typing import Any

from core.errors import Conflict, NotFound, UpstreamUnavailable
from storage.kb_documents import KbDocument


def _item_to_doc(item: dict[str, Any]) -> KbDocument:
    return KbDocument(
        doc_id=str(item["doc_id"]),
        version=int(item["version"]),
        title=str(item["title"]),
        products=tuple(json.loads(str(item["products"]))),
        effective_date=str(item["effective_date"]),
        body=str(item["body"]),
        content_hash=str(item["content_hash"]),
        deleted=bool(item.get("deleted", False)),
        extra=dict(json.loads(str(item.get("extra", "{}")))),
    )


class DynamoKbDocumentStore:
    """Versioned documents in one DynamoDB table."""

    def __init__(self, table: Any) -> None:
        """Wrap a boto3 `Table` resource (the table exists: `loan-advisor aws bootstrap`)."""
        self._table = table

    def put(self, doc: KbDocument) -> None:
        """Insert a new version; a duplicate (doc_id, version) is a `Conflict`."""
        from botocore.exceptions import ClientError

        item = {
            "doc_id": doc.doc_id,
            "version": doc.version,
            "title": doc.title,
            "products": json.dumps(list(doc.products)),
            "effective_date": doc.effective_date,
            "body": doc.body,
            "content_hash": doc.content_hash,
            "deleted": doc.deleted,
            "extra": json.dumps(doc.extra),
        }
        try:
            self._table.put_item(Item=item, ConditionExpression="attribute_not_exists(doc_id)")
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise Conflict(
                    f"document {doc.doc_id!r} version {doc.version} already exists",
                    field="version",
                ) from exc
            raise UpstreamUnavailable(f"DynamoDB put failed: {exc}") from exc

    def get(self, doc_id: str, version: int | None = None) -> KbDocument:
        """Return the requested version, or the latest one."""
        from boto3.dynamodb.conditions import Key

        if version is None:
            resp = self._table.query(
                KeyConditionExpression=Key("doc_id").eq(doc_id),
                ScanIndexForward=False,
                Limit=1,
            )
            items = resp.get("Items", [])
            item = items[0] if items else None
        else:
            item = self._table.get_item(Key={"doc_id": doc_id, "version": version}).get("Item")
        if item is None:
            suffix = "" if version is None else f" version {version}"
            raise NotFound(f"no knowledge-base document {doc_id!r}{suffix}", field="doc_id")
        return _item_to_doc(item)

    def versions(self, doc_id: str) -> list[int]:
        """Return stored versions, oldest first."""
        from boto3.dynamodb.conditions import Key

        found: list[int] = []
        kwargs: dict[str, Any] = {
            "KeyConditionExpression": Key("doc_id").eq(doc_id),
            "ProjectionExpression": "version",
        }
        while True:  # follow LastEvaluatedKey: a long-lived document may outgrow a page
            resp = self._table.query(**kwargs)
            found += [int(i["version"]) for i in resp.get("Items", [])]
            if "LastEvaluatedKey" not in resp:
                return sorted(found)
            kwargs["ExclusiveStartKey"] = resp["LastEvaluatedKey"]

    def latest_all(self) -> list[KbDocument]:
        """Scan the (small) table and keep the newest version of each document."""
        latest: dict[str, dict[str, Any]] = {}
        kwargs: dict[str, Any] = {}
        while True:
            resp = self._table.scan(**kwargs)
            for item in resp.get("Items", []):
                seen = latest.get(str(item["doc_id"]))
                if seen is None or int(item["version"]) > int(seen["version"]):
                    latest[str(item["doc_id"])] = item
            if "LastEvaluatedKey" not in resp:
                break
            kwargs["ExclusiveStartKey"] = resp["LastEvaluatedKey"]
        return [_item_to_doc(latest[k]) for k in sorted(latest)]

    def remove_version(self, doc_id: str, version: int) -> None:
        """Delete one version item (rollback of a failed update)."""
        self._table.delete_item(Key={"doc_id": doc_id, "version": version})
