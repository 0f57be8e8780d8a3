"""The DynamoDB tables the product uses, and the one function that creates them.

Serving never creates a table: `loan-advisor aws bootstrap` calls `create_tables` once per
environment. Each spec is a `create_table` request, so the command, the tests and any
infrastructure code built from these specs agree on keys, indexes and TTL attributes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

RECORDS = "records"
KB_DOCUMENTS = "kb-documents"
CHECKPOINTS = "checkpoints"
LLM_CACHE = "llm-cache"


@dataclass(frozen=True)
class TableSpec:
    """One table: its `create_table` arguments and, when set, its TTL attribute."""

    suffix: str
    request: dict[str, Any]
    ttl_attribute: str | None = None


def _keys(*attrs: tuple[str, str, str]) -> dict[str, Any]:
    return {
        "KeySchema": [{"AttributeName": a, "KeyType": k} for a, _, k in attrs],
        "AttributeDefinitions": [{"AttributeName": a, "AttributeType": t} for a, t, _ in attrs],
    }


def _records() -> dict[str, Any]:
    request = _keys(("pk", "S", "HASH"), ("sk", "S", "RANGE"))
    request["AttributeDefinitions"] += [
        {"AttributeName": a, "AttributeType": "S"} for a in ("gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk")
    ]
    request["GlobalSecondaryIndexes"] = [
        {
            "IndexName": gsi,
            "KeySchema": [
                {"AttributeName": f"{gsi}pk", "KeyType": "HASH"},
                {"AttributeName": f"{gsi}sk", "KeyType": "RANGE"},
            ],
            "Projection": {"ProjectionType": "ALL"},
        }
        for gsi in ("gsi1", "gsi2")
    ]
    return request


SPECS = (
    TableSpec(RECORDS, _records()),
    TableSpec(KB_DOCUMENTS, _keys(("doc_id", "S", "HASH"), ("version", "N", "RANGE"))),
    # The layout langgraph-checkpoint-aws's DynamoDBSaver reads and writes (PK/SK, `ttl`).
    TableSpec(CHECKPOINTS, _keys(("PK", "S", "HASH"), ("SK", "S", "RANGE")), "ttl"),
    TableSpec(LLM_CACHE, _keys(("pk", "S", "HASH")), "expires"),
)


def table_name(prefix: str, suffix: str) -> str:
    """Return the full table name for a prefix (e.g. `loan-advisor`) and a spec suffix."""
    return f"{prefix}-{suffix}"


def create_tables(client: Any, prefix: str) -> list[tuple[str, str]]:
    """Create every missing table (on-demand billing), wait for it, enable its TTL.

    Returns (table, "created" | "exists") per table, so a re-run is harmless and says so.
    """
    existing: set[str] = set()
    for page in client.get_paginator("list_tables").paginate():
        existing.update(page.get("TableNames", []))
    results = []
    for spec in SPECS:
        name = table_name(prefix, spec.suffix)
        if name in existing:
            results.append((name, "exists"))
            continue
        client.create_table(TableName=name, BillingMode="PAY_PER_REQUEST", **spec.request)
        client.get_waiter("table_exists").wait(TableName=name)
        if spec.ttl_attribute:
            client.update_time_to_live(
                TableName=name,
                TimeToLiveSpecification={"Enabled": True, "AttributeName": spec.ttl_attribute},
            )
        results.append((name, "created"))
    return results
