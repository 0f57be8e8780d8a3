"""Where experiment versions and exposures live (SQLite; the table shape maps to DynamoDB).

An experiment's life is a transition table (draft -> running -> stopped -> archived), with one
running version per key and per surface (the agent and the web app read a single arm); a running
version's design (arms, weights, salt, targeting) can never be replaced: that is a new version.
Exposures are keyed by (experiment id, user), so a user is exposed once however often they
see the variant, and the first time is the one outcomes are counted from.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Protocol

from pydantic import BaseModel

from core.clock import Clock
from core.errors import Conflict, NotFound
from experiments.definition import ExperimentDefinition, parse_definition
from storage.sqlite import Database


class Exposure(BaseModel):
    """The first time a user saw an arm of an experiment."""

    experiment_id: str
    user_id: str
    arm: str
    at: datetime


class ExperimentStore(Protocol):
    """Experiment versions and their exposures."""

    def save(self, definition: ExperimentDefinition) -> ExperimentDefinition:
        """Store a new version, or replace a draft's; a non-draft's design is a `Conflict`."""
        ...

    def get(self, key: str, version: int | None = None) -> ExperimentDefinition:
        """Return a version (default the newest); `NotFound` if there is none."""
        ...

    def latest(self, include_archived: bool = False) -> list[ExperimentDefinition]:
        """Return the newest version of each experiment."""
        ...

    def running(self, surface: str | None = None) -> list[ExperimentDefinition]:
        """Return the running experiments, optionally on one surface."""
        ...

    def transition(self, key: str, version: int, action: str) -> ExperimentDefinition:
        """Apply start/stop/archive (stamping start/stop times); illegal ones are a `Conflict`."""
        ...

    def expose(self, experiment_id: str, user_id: str, arm: str) -> bool:
        """Record that `user_id` saw `arm`; returns False if they were exposed before."""
        ...

    def exposures(self, experiment_id: str) -> list[Exposure]:
        """Return every exposure of an experiment, oldest first."""
        ...


class SqliteExperimentStore:
    """Experiments in a SQLite file."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock
        db.migrate(
            "exp_0001_experiments",
            [
                "CREATE TABLE experiment_versions (key TEXT NOT NULL, version INTEGER NOT NULL,"
                " definition TEXT NOT NULL, status TEXT NOT NULL, surface TEXT NOT NULL,"
                " PRIMARY KEY (key, version))",
                "CREATE TABLE exposures (experiment_id TEXT NOT NULL, user_id TEXT NOT NULL,"
                " arm TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (experiment_id, user_id))",
            ],
        )

    def save(self, definition: ExperimentDefinition) -> ExperimentDefinition:
        """Store a new version, or replace a draft's; a non-draft's design is a `Conflict`."""
        with self._db.transaction() as conn:
            row = conn.execute(
                "SELECT definition FROM experiment_versions WHERE key = ? AND version = ?",
                (definition.key, definition.version),
            ).fetchone()
            if row is not None:
                old = parse_definition(row["definition"])
                definition = old.revised_by(definition)
            else:
                definition = definition.model_copy(update={"status": "draft"})
            conn.execute(
                "INSERT OR REPLACE INTO experiment_versions VALUES (?, ?, ?, ?, ?)",
                (
                    definition.key,
                    definition.version,
                    definition.to_yaml(),
                    definition.status,
                    definition.surface,
                ),
            )
        return definition

    def get(self, key: str, version: int | None = None) -> ExperimentDefinition:
        """Return a version (default the newest); `NotFound` if there is none."""
        sql = "SELECT definition FROM experiment_versions WHERE key = ?"
        args: tuple[object, ...] = (key,)
        if version is not None:
            sql, args = sql + " AND version = ?", (key, version)
        row = self._db.conn.execute(sql + " ORDER BY version DESC LIMIT 1", args).fetchone()
        if row is None:
            suffix = f" version {version}" if version is not None else ""
            raise NotFound(f"no experiment {key!r}{suffix}", field="key")
        return parse_definition(row["definition"])

    def latest(self, include_archived: bool = False) -> list[ExperimentDefinition]:
        """Return the newest version of each experiment."""
        rows = self._db.conn.execute(
            "SELECT definition FROM experiment_versions v WHERE version ="
            " (SELECT MAX(version) FROM experiment_versions w WHERE w.key = v.key) ORDER BY key"
        ).fetchall()
        found = [parse_definition(r["definition"]) for r in rows]
        return [d for d in found if include_archived or d.status != "archived"]

    def running(self, surface: str | None = None) -> list[ExperimentDefinition]:
        """Return the running experiments, optionally on one surface."""
        rows = self._db.conn.execute(
            "SELECT definition, surface FROM experiment_versions WHERE status = 'running'"
            " ORDER BY key, version"
        ).fetchall()
        return [parse_definition(r["definition"]) for r in rows if surface in (None, r["surface"])]

    def transition(self, key: str, version: int, action: str) -> ExperimentDefinition:
        """Apply start/stop/archive (stamping start/stop times); illegal ones are a `Conflict`."""
        with self._db.transaction() as conn:  # read and write under one write lock
            current = self.get(key, version)
            new = current.moved(action, self._clock.now())
            if action == "start":
                # one running version per key and per surface: consumers read a single arm
                clash = [d for d in self.running() if d.key == key or d.surface == current.surface]
                if clash:
                    raise Conflict(
                        f"{clash[0].experiment_id} is running on {clash[0].surface}; stop it first"
                    )
            conn.execute(
                "UPDATE experiment_versions SET definition = ?, status = ? WHERE key = ? AND"
                " version = ?",
                (new.to_yaml(), new.status, key, version),
            )
        return new

    def expose(self, experiment_id: str, user_id: str, arm: str) -> bool:
        """Record that `user_id` saw `arm`; returns False if they were exposed before."""
        cur = self._db.conn.execute(
            "INSERT OR IGNORE INTO exposures VALUES (?, ?, ?, ?)",
            (experiment_id, user_id, arm, self._clock.now().isoformat()),
        )
        return cur.rowcount == 1

    def exposures(self, experiment_id: str) -> list[Exposure]:
        """Return every exposure of an experiment, oldest first."""
        rows = self._db.conn.execute(
            "SELECT * FROM exposures WHERE experiment_id = ? ORDER BY at", (experiment_id,)
        ).fetchall()
        return [Exposure(**dict(r)) for r in rows]


def build_experiment_store(path: Path, clock: Clock) -> SqliteExperimentStore:
    """Return the store in the SQLite file at `path` (the composition root calls this once)."""
    return SqliteExperimentStore(Database(path), clock)
