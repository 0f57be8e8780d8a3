"""The labelled outcome export: labels by source, a stable hash per content, retrainable layout."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from scoring.datasets import SEED_SPEC, load_dataset
from scoring.generator import generate
from scoring.outcome_data import (
    DecidedApplication,
    labelled_frame,
    read_repayments,
    write_export,
)

NOW = datetime(2026, 12, 2, 12, tzinfo=UTC)


def _apps(n: int = 60) -> list[DecidedApplication]:
    rows = (
        generate(max(n, 10), seed=3)
        .head(n)
        .drop(columns=["approval_status", "customer_id"], errors="ignore")
    )
    decisions = ["approved", "declined", "under_review", "conditionally_approved"]
    return [
        DecidedApplication(f"app_{i:04d}", row, decisions[i % 4])
        for i, row in enumerate(rows.to_dict("records"))
    ]


def test_decisions_label_rows_and_repayments_replace_them() -> None:
    apps = _apps(8)
    frame, sources = labelled_frame(apps, {"app_0000": "defaulted", "app_0002": "repaid"})
    labels = dict(zip(frame["customer_id"], frame["approval_status"], strict=True))
    assert labels["app_0000"] == "Rejected"  # approved, then defaulted: the repayment wins
    assert labels["app_0001"] == "Rejected"  # declined
    assert labels["app_0002"] == "Approved"  # under review, but repaid: labelled by repayment
    assert "app_0006" not in labels  # under review and no repayment: no label
    assert labels["app_0003"] == "Approved"  # conditionally approved
    assert sources == {"repayment": 2, "decision": 5}  # 1, 3, 4, 5, 7


def test_the_export_is_versioned_by_hash_and_retrains_as_is(tmp_path: Path) -> None:
    frame, sources = labelled_frame(_apps())
    first = write_export(frame, sources, tmp_path, NOW)
    again = write_export(frame, sources, tmp_path / "again", NOW)
    assert first.sha256 == again.sha256 and first.sha256[:8] in first.path.name
    meta = json.loads(first.manifest.read_text())
    assert meta["rows"] == first.rows == 45 and meta["sources"] == {"decision": 45}
    ds = load_dataset(first.path, SEED_SPEC)  # the seed layout: retrain reads it unchanged
    assert len(ds.y) == 45 and "customer_id" not in ds.X.columns
    with pytest.raises(ValueError, match="no decided application"):
        write_export(frame.iloc[:0], {}, tmp_path, NOW)


def test_repayment_files_are_checked(tmp_path: Path) -> None:
    good = tmp_path / "paid.csv"
    good.write_text("application_id,outcome\napp_1,Repaid\n")
    assert read_repayments(good) == {"app_1": "Repaid"}
    bad = tmp_path / "bad.csv"
    bad.write_text("application_id,outcome\napp_1,lost\n")
    with pytest.raises(ValueError, match="unknown outcome"):
        read_repayments(bad)
