"""A conditional approval's documents: which are needed, which are in, and whether Accept waits.

The documents come from the decision (`lending.decision` lists the policy's general ones and the
product's own); what the applicant has provided is kept beside the decision in the stored
record (`_provided`, never shown as part of the public decision), so every store holds it with
no schema change and a re-price or a staff verdict carries it over.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from lending.messages import accept_blocked
from lending.policy import Policy
from storage.records import ApplicationRecord

PROVIDED = "_provided"


class DocumentCondition(BaseModel):
    """One document a conditional approval asks for and whether the applicant has provided it."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(description="the document as the policy names it")
    provided: bool
    provided_at: datetime | None = None
    document_id: str | None = Field(None, description="the uploaded file, if one was attached")


def required_documents(record: ApplicationRecord) -> list[str]:
    """Return the documents the current decision asks for (none unless conditionally approved)."""
    decision = record.decision or {}
    if decision.get("outcome") != "conditionally_approved":
        return []
    return [str(d) for d in decision.get("required_documents", [])]


def policy_documents(policy: Policy, product: str) -> list[str]:
    """Return what the policy asks for on a conditional approval of `product` (staff verdicts)."""
    return list(policy.conditional_documents) + list(policy.product(product).documents)


def conditions(record: ApplicationRecord) -> list[DocumentCondition]:
    """Return every required document with its state, in the order the decision lists them."""
    provided: dict[str, dict[str, Any]] = (record.decision or {}).get(PROVIDED, {})
    out = []
    for name in required_documents(record):
        entry = provided.get(name)
        out.append(
            DocumentCondition(
                name=name,
                provided=entry is not None,
                provided_at=entry["at"] if entry else None,
                document_id=entry.get("document_id") if entry else None,
            )
        )
    return out


def outstanding(record: ApplicationRecord) -> list[str]:
    """Return the required documents not provided yet."""
    return [c.name for c in conditions(record) if not c.provided]


def blocked_reason(record: ApplicationRecord, policy: Policy) -> str | None:
    """Return why Accept must wait for documents, or None when they are in (or need not be)."""
    if not policy.acceptance.documents_before_acceptance:
        return None
    missing = outstanding(record)
    return accept_blocked(missing) if missing else None


def with_provided(
    decision: dict[str, Any], name: str, at: datetime, document_id: str | None
) -> dict[str, Any]:
    """Return a copy of the stored decision with `name` marked provided (at, document)."""
    provided = dict(decision.get(PROVIDED, {}))
    provided[name] = {"at": at.isoformat(), "document_id": document_id}
    return {**decision, PROVIDED: provided}


def carried(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    """Return `new` keeping what was provided under `old` (a re-price keeps the documents)."""
    if old and PROVIDED in old:
        return {**new, PROVIDED: old[PROVIDED]}
    return new
