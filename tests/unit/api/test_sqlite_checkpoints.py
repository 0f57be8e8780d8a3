import asyncio
import operator
from typing import Annotated, TypedDict

from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from langgraph.graph import END, START, StateGraph

from api.sqlite_checkpoints import open_sqlite_saver


class Counter(TypedDict):
    total: Annotated[int, operator.add]


def _graph(saver):
    graph = StateGraph(Counter)
    graph.add_node("add", lambda state: {"total": 1})
    graph.add_edge(START, "add")
    graph.add_edge("add", END)
    return graph.compile(checkpointer=saver)


def _config(thread):
    return {"configurable": {"thread_id": thread}}


async def test_turns_survive_reopening_the_file(tmp_path):
    path = tmp_path / "checkpoints.sqlite"
    path.touch()
    async with open_sqlite_saver(path, JsonPlusSerializer()) as saver:
        graph = _graph(saver)
        for _ in range(3):
            await graph.ainvoke({"total": 0}, _config("t1"))
    async with open_sqlite_saver(path, JsonPlusSerializer()) as saver:
        state = await _graph(saver).aget_state(_config("t1"))
    assert state.values == {"total": 3}


async def test_no_transaction_is_left_open_between_statements(tmp_path):
    # The library's default connection keeps a transaction (the file's write lock) open from
    # its INSERT until its commit comes back round the event loop; other workers then wait.
    path = tmp_path / "checkpoints.sqlite"
    path.touch()
    seen_open = []
    async with open_sqlite_saver(path, JsonPlusSerializer()) as saver:
        graph = _graph(saver)
        done = asyncio.Event()

        async def sample():
            while not done.is_set():
                seen_open.append(saver.conn.in_transaction)
                await asyncio.sleep(0)

        sampler = asyncio.create_task(sample())
        for n in range(10):
            await graph.ainvoke({"total": 0}, _config(f"t{n}"), durability="sync")
        done.set()
        await sampler
    assert len(seen_open) > 20
    assert not any(seen_open)


async def test_a_tasks_writes_are_stored_together_and_read_back_as_pending(tmp_path):
    path = tmp_path / "checkpoints.sqlite"
    path.touch()
    async with open_sqlite_saver(path, JsonPlusSerializer()) as saver:
        graph = _graph(saver)
        await graph.ainvoke({"total": 0}, _config("t1"))
        config = (await saver.aget_tuple(_config("t1"))).config
        await saver.aput_writes(config, [("total", 5), ("extra", "x")], task_id="task-1")
        await saver.aput_writes(config, [], task_id="task-2")
        pending = (await saver.aget_tuple(config)).pending_writes
    assert sorted((task, channel, value) for task, channel, value in pending) == [
        ("task-1", "extra", "x"),
        ("task-1", "total", 5),
    ]


async def test_two_connections_on_one_file_both_write_every_turn(tmp_path):
    # Two workers share the file: every turn of both is stored, none fails on a held lock.
    path = tmp_path / "checkpoints.sqlite"
    path.touch()
    async with (
        open_sqlite_saver(path, JsonPlusSerializer()) as first,
        open_sqlite_saver(path, JsonPlusSerializer()) as second,
    ):
        graphs = [_graph(first), _graph(second)]
        await asyncio.gather(
            *(graphs[n % 2].ainvoke({"total": 0}, _config(f"t{n}")) for n in range(40))
        )
        states = [await graphs[1 - n % 2].aget_state(_config(f"t{n}")) for n in range(40)]
    assert [s.values for s in states] == [{"total": 1}] * 40


async def test_deleting_a_thread_removes_its_checkpoints_and_writes_only(tmp_path):
    path = tmp_path / "checkpoints.sqlite"
    path.touch()
    async with open_sqlite_saver(path, JsonPlusSerializer()) as saver:
        graph = _graph(saver)
        await graph.ainvoke({"total": 0}, _config("gone"))
        await graph.ainvoke({"total": 0}, _config("kept"))
        config = (await saver.aget_tuple(_config("gone"))).config
        await saver.aput_writes(config, [("total", 1)], task_id="task-1")
        await saver.adelete_thread("gone")
        assert await saver.aget_tuple(_config("gone")) is None
        sql = "SELECT COUNT(*) FROM writes WHERE thread_id = 'gone'"
        async with saver.conn.execute(sql) as cur:
            assert tuple(await cur.fetchone() or ()) == (0,)
        assert (await graph.aget_state(_config("kept"))).values == {"total": 1}
