from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest

from core.errors import Conflict, NotFound, ValidationFailed
from storage.records import ApplicationRecord, OfferRecord, StatusChange
from storage.sqlite import Database
from storage.sqlite_applications import SqliteApplicationRepository, SqliteUserRepository
from storage.sqlite_records import SqliteOfferRepository

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _app(app_id="app_00000001", owner="usr_alice001", status="approved"):
    return ApplicationRecord(
        application_id=app_id,
        owner=owner,
        status=status,
        profile={"age": 30},
        request={"product": "car", "amount": "1000", "tenure_months": 12},
        created_at=NOW,
        updated_at=NOW,
        history=[StatusChange(status="received", at=NOW, actor="system")],
    )


@pytest.fixture
def db(tmp_path):
    database = Database(tmp_path / "app.sqlite")
    yield database
    database.close()


def test_migrations_run_once_and_wal_is_on(db):
    SqliteApplicationRepository(db)
    SqliteUserRepository(db)  # same migration name: not applied twice
    names = [r[0] for r in db.conn.execute("SELECT name FROM schema_migrations")]
    assert names == ["0002_users_applications", "0007_applications_thread"]
    assert db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_idempotent_submit_under_concurrency(db):
    repo = SqliteApplicationRepository(db)

    def submit(i):
        record, created = repo.submit(_app(f"app_concur{i:03d}"), "same-key-0001", "hash-1")
        return record.application_id, created

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(submit, range(40)))
    assert len({r[0] for r in results}) == 1
    assert sum(created for _, created in results) == 1
    assert len(repo.list_for("usr_alice001")) == 1
    with pytest.raises(ValidationFailed):
        repo.submit(_app("app_other0001"), "same-key-0001", "hash-2")


def test_transitions_compare_and_set_on_the_expected_status(db):
    repo = SqliteApplicationRepository(db)
    repo.submit(_app(), None, "h")
    updated = repo.transition(
        "app_00000001", "offer_accepted", expected="approved", actor="usr_alice001", at=NOW
    )
    assert [c.status for c in updated.history] == ["received", "offer_accepted"]
    with pytest.raises(Conflict):  # read as approved, but it moved on meanwhile
        repo.transition("app_00000001", "withdrawn", expected="approved", actor="u", at=NOW)
    with pytest.raises(NotFound):
        repo.transition("app_missing01", "withdrawn", expected="received", actor="x", at=NOW)
    assert repo.count_by_status() == {"offer_accepted": 1}


def test_only_one_concurrent_accept_wins(db):
    offers = SqliteOfferRepository(db)
    offers.replace_active(
        "app_00000001",
        [
            OfferRecord(
                offer_id="ofr_00000001",
                application_id="app_00000001",
                owner="o",
                terms={},
                created_at=NOW,
            )
        ],
    )

    def accept(_):
        try:
            offers.accept("ofr_00000001")
            return True
        except Conflict:
            return False

    with ThreadPoolExecutor(6) as pool:
        assert sum(pool.map(accept, range(12))) == 1
    offers.replace_active("app_00000001", [])
    assert [o.status for o in offers.list_for("app_00000001", include_old=True)] == ["accepted"]
