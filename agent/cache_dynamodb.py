"""The LLM cache in DynamoDB (for AWS): same keys and personal-data rule as the SQLite one.

Items carry an `expires` epoch attribute; DynamoDB's TTL deletes them eventually and the
lookup ignores anything already past it, so expiry is exact even before the sweep.
"""

from __future__ import annotations

from typing import Any

from langchain_core.caches import RETURN_VAL_TYPE, BaseCache
from langchain_core.load import dumps, loads

from agent.cache import SqliteTTLCache, carries_personal_data
from core.clock import Clock


class DynamoTTLCache(BaseCache):
    """LLM cache in a DynamoDB table keyed by `pk` (string)."""

    def __init__(self, client: Any, table: str, clock: Clock, ttl_seconds: int = 24 * 3600) -> None:
        """Use `table` (created by `loan-advisor aws bootstrap`) through a boto3 client."""
        self._client = client
        self._table = table
        self._clock = clock
        self._ttl = ttl_seconds

    def lookup(self, prompt: str, llm_string: str) -> RETURN_VAL_TYPE | None:
        """Return cached generations unless personal, missing or expired."""
        if carries_personal_data(prompt):
            return None
        item = self._client.get_item(
            TableName=self._table,
            Key={"pk": {"S": SqliteTTLCache.key(prompt, llm_string)}},
            ConsistentRead=True,
        ).get("Item")
        if not item or float(item["expires"]["N"]) <= self._clock.now().timestamp():
            return None
        value: RETURN_VAL_TYPE = loads(item["value"]["S"], allowed_objects="core")
        return value

    def update(self, prompt: str, llm_string: str, return_val: RETURN_VAL_TYPE) -> None:
        """Store generations unless the exchange carries personal data."""
        if carries_personal_data(prompt, return_val):
            return
        expires = int(self._clock.now().timestamp()) + self._ttl
        self._client.put_item(
            TableName=self._table,
            Item={
                "pk": {"S": SqliteTTLCache.key(prompt, llm_string)},
                "value": {"S": dumps(list(return_val))},
                "expires": {"N": str(expires)},
            },
        )

    def clear(self, **kwargs: Any) -> None:
        """Drop every entry (scan and delete; for tests and admin use)."""
        pages = self._client.get_paginator("scan").paginate(
            TableName=self._table, ProjectionExpression="pk"
        )
        for page in pages:
            for item in page.get("Items", []):
                self._client.delete_item(TableName=self._table, Key={"pk": item["pk"]})
