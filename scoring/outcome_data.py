"""Decided applications (and repayments, when a file of them is supplied) as a labelled dataset.

Each export is a new version: a CSV in the seed file's layout (`customer_id`, the model's feature
columns, `approval_status`), so `loan-advisor scoring retrain --data <file>` trains on it as is,
and a manifest beside it with the file's SHA-256, the row counts by label source and the time.
A repayment outcome is the better label (what the loan actually did), so it replaces the
decision's label where both exist; referred or withdrawn applications carry no label and are
left out. The file name holds the hash prefix, so a model's `data_hash` names its export.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

TARGET = "approval_status"
GOOD, BAD = "Approved", "Rejected"  # the seed file's labels (`SEED_SPEC.positive` is BAD)
DECISION_LABELS = {"approved": GOOD, "conditionally_approved": GOOD, "declined": BAD}
REPAYMENT_LABELS = {"repaid": GOOD, "current": GOOD, "defaulted": BAD, "charged_off": BAD}


@dataclass(frozen=True)
class DecidedApplication:
    """What the export needs of one application: its id, feature row and decision outcome."""

    application_id: str
    features: Mapping[str, Any]
    decision: str | None


@dataclass(frozen=True)
class OutcomeExport:
    """One written version of the dataset."""

    path: Path
    manifest: Path
    sha256: str
    rows: int
    sources: dict[str, int]


def labelled_frame(
    apps: Iterable[DecidedApplication], repayments: Mapping[str, str] | None = None
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Return the labelled rows (unlabelled ones left out) and how many came from each source."""
    repayments = repayments or {}
    rows: list[dict[str, Any]] = []
    sources: Counter[str] = Counter()
    for app in apps:
        repaid = REPAYMENT_LABELS.get(repayments.get(app.application_id, "").strip().lower())
        label = repaid or DECISION_LABELS.get(app.decision or "")
        if label is None:
            continue
        sources["repayment" if repaid else "decision"] += 1
        rows.append({"customer_id": app.application_id, **app.features, TARGET: label})
    frame = pd.DataFrame(rows)
    if not frame.empty:
        frame = frame.sort_values("customer_id", kind="stable").reset_index(drop=True)
    return frame, dict(sources)


def read_repayments(path: Path) -> dict[str, str]:
    """Read `application_id,outcome` rows (outcome: repaid, current, defaulted, charged_off)."""
    frame = pd.read_csv(path, dtype=str)
    missing = {"application_id", "outcome"} - set(frame.columns)
    if missing:
        raise ValueError(f"{path.name} lacks column(s) {', '.join(sorted(missing))}")
    unknown = set(frame["outcome"].str.lower()) - set(REPAYMENT_LABELS)
    if unknown:
        raise ValueError(f"unknown outcome(s) {sorted(unknown)}; use {sorted(REPAYMENT_LABELS)}")
    return dict(zip(frame["application_id"], frame["outcome"], strict=True))


def write_export(
    frame: pd.DataFrame, sources: Mapping[str, int], out_dir: Path, now: datetime
) -> OutcomeExport:
    """Write the CSV and its manifest as a new version; return where and its hash."""
    if frame.empty:
        raise ValueError("no decided application to export yet")
    data = frame.to_csv(index=False).encode()
    digest = hashlib.sha256(data).hexdigest()
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"outcomes-{now:%Y%m%d-%H%M%S}-{digest[:8]}"
    path = out_dir / f"{stem}.csv"
    path.write_bytes(data)
    manifest = out_dir / f"{stem}.json"
    meta = {
        "file": path.name,
        "sha256": digest,
        "rows": len(frame),
        "sources": dict(sources),
        "labels": frame[TARGET].value_counts().to_dict(),
        "created_at": now.isoformat(),
    }
    manifest.write_text(json.dumps(meta, indent=2))
    return OutcomeExport(path, manifest, digest, len(frame), dict(sources))
