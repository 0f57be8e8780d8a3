"""DynamoDB reads follow `LastEvaluatedKey`, and events spread over day x shard partitions.

Against DynamoDB Local, which honours `Limit`: with 2 items per request, every list, count
and scan below needs several pages, and the assertions fail if any read stops at the first.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from api.backends import build_repositories, dynamodb_resource
from api.bootstrap import bootstrap
from core.clock import FixedClock
from core.config import Settings
from storage.dynamodb_records import DynamoTable
from tests.integration.test_kb_dynamodb import dynamodb_url  # noqa: F401 - shared fixture
from tests.unit.storage.test_repositories_contract import T0, _app

pytestmark = pytest.mark.integration


@pytest.fixture
def settings(dynamodb_url, monkeypatch, tmp_path, request):  # noqa: F811
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "local")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "local")
    settings = Settings(
        var_dir=tmp_path,
        store="dynamodb",
        dynamodb_endpoint_url=dynamodb_url,
        dynamodb_table_prefix=f"pg{request.node.name[-8:].replace('_', '')}",
    )
    bootstrap(settings, report=lambda line: None)
    return settings


def _count_requests(table: DynamoTable) -> Counter[str]:
    calls: Counter[str] = Counter()
    for op in ("Query", "Scan"):
        table.client.meta.events.register(
            f"before-call.dynamodb.{op}", lambda op=op, **_: calls.update([op])
        )
    return calls


def test_lists_counts_and_scans_span_pages(settings):
    repos = build_repositories(settings, FixedClock(T0), page=2)
    table: DynamoTable = repos.applications._t  # type: ignore[attr-defined]
    calls = _count_requests(table)
    for i in range(7):
        record = _app(f"app_{i:08d}")
        repos.applications.submit(
            record.model_copy(update={"created_at": T0 + timedelta(minutes=i)}), None, f"h{i}"
        )
    newest = repos.applications.list_for("usr_alice001", limit=5)
    assert [a.application_id for a in newest] == [f"app_{i:08d}" for i in (6, 5, 4, 3, 2)]
    assert len(repos.applications.list_for("usr_alice001")) == 7
    assert repos.applications.count_by_status() == {"received": 7}
    assert calls["Query"] > 7  # several pages per read, not one request each
    for i in range(5):
        repos.users.create(_user(i))
    repos.users.set_role("usr_u0000004", "staff")  # a scan over 5+ items, 2 per page
    assert repos.users.get_by_email("u4@example.com").role == "staff"
    assert calls["Scan"] >= 3


def _user(i: int):
    from storage.records import UserRecord

    return UserRecord(
        user_id=f"usr_u000000{i}", email=f"u{i}@example.com", password_hash="h", created_at=T0
    )


def test_events_are_sharded_and_read_newest_first_across_days(settings):
    clock = FixedClock(T0)
    repos = build_repositories(settings, clock, page=2)
    for i in range(24):
        clock.advance(timedelta(hours=3))  # 24 events over 3 days
        repos.events.record("submitted" if i % 2 else "accepted", f"thr_{i}", {"n": i})
    newest = repos.events.recent(limit=10)
    assert [e.payload["n"] for e in newest] == list(range(23, 13, -1))
    accepted = repos.events.recent("accepted", limit=5)
    assert [e.payload["n"] for e in accepted] == [22, 20, 18, 16, 14]
    assert len(repos.events.recent(limit=100)) == 24
    table = dynamodb_resource(settings).Table(f"{settings.dynamodb_table_prefix}-records")
    items = table.scan()["Items"]
    partitions = {i["gsi1pk"] for i in items if str(i["pk"]).startswith("EVENT#")}
    assert len(partitions) > 3  # spread over days and shards, not one hot key
