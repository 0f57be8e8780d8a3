"""Worker balancing: a worker busier than its least busy peer ends the client's connection."""

from __future__ import annotations

import httpx
from starlette.types import Receive, Scope, Send

from api import balance
from api.balance import Rebalancer, WorkerLoads


async def ok(scope: Scope, receive: Receive, send: Send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": [(b"x-a", b"1")]})
    await send({"type": "http.response.body", "body": b"ok"})


def test_a_worker_is_crowded_only_from_two_requests_above_the_least_busy():
    counts = [5, 4, 3]
    assert WorkerLoads(counts, 0).crowded()  # 5 - 3: moving one off evens it
    assert not WorkerLoads(counts, 1).crowded()  # 4 - 3: moving one would only swap places
    assert not WorkerLoads(counts, 2).crowded()
    assert not WorkerLoads([9], 0).crowded()  # alone: nowhere to send anyone


def test_shared_counts_start_at_zero_and_are_writable():
    counts = WorkerLoads.shared(3)
    counts[1] += 2
    assert list(counts) == [0, 2, 0]


async def test_a_crowded_worker_closes_the_connection_and_stops_counting_that_request():
    counts = [0, 0]
    seen: list[int] = []

    async def busy(scope: Scope, receive: Receive, send: Send) -> None:
        counts[1] = 0
        counts[0] += 1  # another request is in flight here: 2 against 0
        await ok(scope, receive, send)
        seen.append(counts[0])  # during the rest of the response
        counts[0] -= 1

    app = Rebalancer(busy, loads=WorkerLoads(counts, 0))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        response = await c.get("/v1/threads")
    assert response.headers["connection"] == "close" and response.headers["x-a"] == "1"
    assert seen == [1]  # the leaving request no longer counts while its body is sent
    assert counts == [0, 0]  # and is not subtracted twice when it ends


async def test_an_even_worker_keeps_the_connection_and_counts_the_request_while_it_runs():
    counts = [0, 1]
    during: list[int] = []

    async def watch(scope: Scope, receive: Receive, send: Send) -> None:
        during.append(counts[0])
        await ok(scope, receive, send)

    app = Rebalancer(watch, loads=WorkerLoads(counts, 0))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        response = await c.get("/v1/threads")
    assert "connection" not in response.headers
    assert during == [1] and counts == [0, 1]


def test_joining_a_group_gives_the_process_its_slot(monkeypatch):
    monkeypatch.setattr(balance, "_group", None)
    assert balance.group() is None
    counts = [0, 0]
    balance.join(counts, 1)
    loads = balance.group()
    assert loads is not None and loads.index == 1 and loads.counts is counts
