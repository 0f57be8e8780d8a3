"""SQLite connection set-up and schema migrations shared by the embedded repositories.

One connection per thread (FastAPI runs sync routes in a thread pool and a shared
connection would interleave transactions); WAL so readers never block the writer;
`BEGIN IMMEDIATE` transactions so concurrent writers queue instead of deadlocking.
The files hold personal data, so they are created owner-only (0600, folders 0700); SQLite
gives its -wal and -shm files the database file's mode.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def make_private_dir(path: Path) -> None:
    """Create `path` (and missing parents) readable by the owner only; tighten it if it exists."""
    path.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    os.chmod(path, PRIVATE_DIR_MODE)


def make_private_file(path: Path) -> None:
    """Create `path` empty with mode 0600 if missing, else tighten its mode to 0600."""
    make_private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE_MODE)
    os.close(fd)
    os.chmod(path, PRIVATE_FILE_MODE)


def connect(path: Path) -> sqlite3.Connection:
    """Open `path` in WAL mode so readers never block the writer; the file is owner-only."""
    make_private_file(path)
    conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=30000")
    return conn


class Database:
    """A SQLite file with one connection per thread and numbered migrations."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._guard = threading.Lock()
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT"
            " NOT NULL DEFAULT CURRENT_TIMESTAMP)"
        )

    @property
    def conn(self) -> sqlite3.Connection:
        """Return this thread's connection, opening it on first use."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect(self.path)
            self._local.conn = conn
            with self._guard:
                self._all.append(conn)
        return conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run a block atomically; the write lock is taken up front (BEGIN IMMEDIATE)."""
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def migrate(self, name: str, statements: Sequence[str]) -> bool:
        """Apply `statements` once under `name`; returns whether they ran now."""
        with self.transaction() as conn:
            done = conn.execute(
                "SELECT 1 FROM schema_migrations WHERE name = ?", (name,)
            ).fetchone()
            if done:
                return False
            for sql in statements:
                conn.execute(sql)
            conn.execute("INSERT INTO schema_migrations (name) VALUES (?)", (name,))
        return True

    def close(self) -> None:
        """Close every connection this database opened."""
        with self._guard:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()
