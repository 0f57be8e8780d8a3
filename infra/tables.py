"""The DynamoDB tables the storage layer expects: one spec list, read by the data construct.

Names, keys, types, indexes and TTL attributes mirror the code that reads the tables:
`storage/dynamodb_records.py` (records, single-table design with two GSIs),
`storage/kb_documents_dynamodb.py` (versioned KB documents), `agent/memory.py`
(langgraph-checkpoint-aws `DynamoDBSaver`: `PK`/`SK`, optional `ttl`) and
`agent/cache_dynamodb.py` (LLM cache keyed by `pk`, expiring on `expires`). A table's full
name is `<LOAN_ADVISOR_DYNAMODB_TABLE_PREFIX>-<suffix>`, as `core.config.Settings` builds it.
Keep this list the one place the infrastructure learns about tables, so a schema change in the
storage layer is a one-line change here too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

AttrType = Literal["S", "N", "B"]


@dataclass(frozen=True)
class Key:
    """One key attribute: its name and DynamoDB scalar type."""

    name: str
    type: AttrType = "S"


@dataclass(frozen=True)
class Gsi:
    """A global secondary index projecting all attributes."""

    name: str
    partition: Key
    sort: Key | None = None


@dataclass(frozen=True)
class TableSpec:
    """What a table must look like for the code that uses it."""

    suffix: str
    partition: Key
    sort: Key | None = None
    gsis: tuple[Gsi, ...] = field(default_factory=tuple)
    ttl_attribute: str | None = None
    purpose: str = ""

    def table_name(self, prefix: str) -> str:
        """Return the full table name for a settings table prefix."""
        return f"{prefix}-{self.suffix}"


RECORDS = TableSpec(
    suffix="records",
    partition=Key("pk"),
    sort=Key("sk"),
    gsis=(
        Gsi("gsi1", Key("gsi1pk"), Key("gsi1sk")),  # owner lists, offers of an application
        Gsi(
            "gsi2", Key("gsi2pk"), Key("gsi2sk")
        ),  # status queues (applications, reviews), events by kind
    ),
    purpose=(
        "users, threads, applications, offers, documents, feedback, feedback review items, events"
    ),
)
KB_DOCUMENTS = TableSpec(
    suffix="kb-documents",
    partition=Key("doc_id"),
    sort=Key("version", "N"),
    purpose="knowledge-base documents, one item per version",
)
CHECKPOINTS = TableSpec(
    suffix="checkpoints",
    partition=Key("PK"),
    sort=Key("SK"),
    ttl_attribute="ttl",  # written by DynamoDBSaver only when ttl_seconds is configured
    purpose="LangGraph thread checkpoints (langgraph-checkpoint-aws)",
)
LLM_CACHE = TableSpec(
    suffix="llm-cache",
    partition=Key("pk"),
    ttl_attribute="expires",
    purpose="LLM response cache (no personal data), expiring",
)

TABLES: tuple[TableSpec, ...] = (RECORDS, KB_DOCUMENTS, CHECKPOINTS, LLM_CACHE)
