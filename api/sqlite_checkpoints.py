"""The API's SQLite checkpointer, set up so several worker processes can share one file.

langgraph's `AsyncSqliteSaver.from_conn_string` opens its connection in Python's default
mode, where an INSERT starts a transaction that holds the file's write lock until the
saver's `commit()` has come back round the event loop: under load, tens of milliseconds.
A second worker writing meanwhile sleeps in SQLite's busy handler, which backs off in steps
up to 100 ms, and its whole checkpointer (one connection) waits behind it; that was most of
two workers' 1.65 s chat p95. Here the connection is in autocommit mode, so each statement
is its own transaction, held only while SQLite runs it in the connection's thread; a task's
writes go in as one multi-row statement, and a thread's deletion in one explicit
transaction, so both stay atomic. WAL and `synchronous=NORMAL` as for every other SQLite
file here: a committed turn survives a process crash without an fsync per commit.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import WRITES_IDX_MAP
from langgraph.checkpoint.serde.base import SerializerProtocol
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

BUSY_TIMEOUT_S = 30.0  # a burst of writers queues; it never fails a turn for a held lock
_WRITE_COLUMNS = (
    "thread_id, checkpoint_ns, checkpoint_id, task_id, task_path, idx, channel, type, value"
)
_ROW = "(" + ", ".join("?" * 9) + ")"


class AutocommitSqliteSaver(AsyncSqliteSaver):
    """`AsyncSqliteSaver` on an autocommit connection: no lock held across an await."""

    async def aput_writes(
        self,
        config: RunnableConfig,
        writes: Sequence[tuple[str, Any]],
        task_id: str,
        task_path: str = "",
    ) -> None:
        """Store a task's writes in one statement: atomic with no transaction left open.

        SQLite allows 32766 bound values, 3640 writes of one task; a task writes one per
        channel it updates, a handful.
        """
        if not writes:
            return
        await self.setup()
        upsert = all(w[0] in WRITES_IDX_MAP for w in writes)  # the library's choice, kept
        verb = "INSERT OR REPLACE" if upsert else "INSERT OR IGNORE"
        conf = config["configurable"]
        key = [str(conf["thread_id"]), str(conf["checkpoint_ns"]), str(conf["checkpoint_id"])]
        values: list[Any] = []
        for idx, (channel, value) in enumerate(writes):
            values += [*key, task_id, task_path, WRITES_IDX_MAP.get(channel, idx), channel]
            values += self.serde.dumps_typed(value)
        rows = ", ".join([_ROW] * len(writes))
        sql = f"{verb} INTO writes ({_WRITE_COLUMNS}) VALUES {rows}"  # noqa: S608
        async with self.lock:
            await self._run(sql, values)

    async def adelete_thread(self, thread_id: str) -> None:
        """Delete a thread's checkpoints and writes in one transaction."""
        await self.setup()
        async with self.lock:
            await self._run("BEGIN IMMEDIATE")
            try:
                for table in ("checkpoints", "writes"):
                    await self._run(f"DELETE FROM {table} WHERE thread_id = ?", [str(thread_id)])  # noqa: S608
            except BaseException:
                await self._run("ROLLBACK")
                raise
            await self._run("COMMIT")

    async def _run(self, sql: str, values: Sequence[Any] = ()) -> None:
        async with self.conn.execute(sql, values):
            pass  # the cursor is closed on exit; nothing to fetch


@asynccontextmanager
async def open_sqlite_saver(
    path: Path, serde: SerializerProtocol
) -> AsyncIterator[AutocommitSqliteSaver]:
    """Yield the checkpointer over the SQLite file at `path` (which must already exist)."""
    async with aiosqlite.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_S) as conn:
        await conn.execute("PRAGMA journal_mode=WAL")
        await conn.execute("PRAGMA synchronous=NORMAL")
        saver = AutocommitSqliteSaver(conn, serde=serde)
        await saver.setup()
        yield saver
