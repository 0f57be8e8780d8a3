"""Real SQLite repositories over one file (tests get the product's store, not a fake)."""

from __future__ import annotations

from pathlib import Path

from core.clock import Clock
from storage.repositories import Repositories
from storage.sqlite_repositories import sqlite_repositories


def sqlite_repos(path: Path, clock: Clock) -> Repositories:
    """Return every repository over the SQLite file at `path`."""
    return sqlite_repositories(path, clock)
