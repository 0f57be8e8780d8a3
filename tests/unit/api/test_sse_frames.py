"""SSE events that are ready together go out in one frame; none waits for company."""

import asyncio

import pytest

from api.sse_frames import encode, frames


def _ev(n: int) -> dict[str, str]:
    return {"event": "token", "data": f'{{"text": "piece {n}"}}'}


async def _collect(source) -> list[bytes]:
    return [frame async for frame in frames(source)]


def test_a_burst_of_events_is_one_frame_with_the_same_wire_text():
    async def burst():
        for n in range(5):
            yield _ev(n)

    out = asyncio.run(_collect(burst()))
    assert out == [b"".join(encode(_ev(n)) for n in range(5))]
    assert out[0].count(b"event: token") == 5


def test_events_apart_in_time_are_each_written_when_they_exist():
    seen_at: list[float] = []

    async def paced():
        for n in range(3):
            await asyncio.sleep(0.02)  # a remote model's next token
            yield _ev(n)

    async def run():
        loop = asyncio.get_running_loop()
        start = loop.time()
        async for frame in frames(paced()):
            seen_at.append(loop.time() - start)
            assert frame.count(b"event: token") == 1

    asyncio.run(run())
    assert len(seen_at) == 3
    assert seen_at[0] < 0.05  # the first is not held back until the others come


def test_an_error_reaches_the_caller_after_the_events_before_it():
    async def failing():
        yield _ev(0)
        yield _ev(1)
        raise RuntimeError("store down")

    async def run() -> list[bytes]:
        got = []
        with pytest.raises(RuntimeError, match="store down"):
            async for frame in frames(failing()):
                got.append(frame)
        return got

    got = asyncio.run(run())
    assert b"".join(got) == encode(_ev(0)) + encode(_ev(1))


def test_a_client_that_leaves_stops_the_turn():
    stopped = asyncio.Event()

    async def endless():
        try:
            n = 0
            while True:
                yield _ev(n)
                n += 1
                await asyncio.sleep(0.001)
        finally:
            stopped.set()

    async def run():
        stream = frames(endless())
        await anext(stream)
        await stream.aclose()  # as sse-starlette does when the client disconnects
        await asyncio.wait_for(stopped.wait(), 1)

    asyncio.run(run())
    assert stopped.is_set()
