"""Send a chat turn's SSE events in as few writes as arrive together, never later.

Each frame handed to `EventSourceResponse` costs a send through every middleware, a per-send
timeout scope and a socket write: about a tenth of a chat turn's CPU when each event went
alone. A reply's events come in bursts (a model call's pieces, a tool's start and end), so
the turn runs in its own task, and whatever it has produced by the time the writer is free
goes out as one frame. Nothing waits to be batched: with a remote model, whose tokens arrive
over the network one at a time, each is still written the moment it exists.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, AsyncIterator
from typing import Final

from sse_starlette.event import ServerSentEvent

_END: Final = object()


def encode(event: dict[str, str]) -> bytes:
    """Return one event (`event` and `data`, as the chat's are) as its SSE wire text."""
    return ServerSentEvent(data=event.get("data"), event=event.get("event")).encode()


async def frames(events: AsyncIterator[dict[str, str]]) -> AsyncGenerator[bytes, None]:
    """Yield `events` encoded, each yield joining every event produced since the last.

    If the client goes (this generator is closed or cancelled), the producing task is
    cancelled, as the turn was when the events were iterated directly; an exception raised
    while producing reaches the caller after the events produced before it.
    """
    ready: asyncio.Queue[object] = asyncio.Queue()

    async def produce() -> None:
        try:
            async for event in events:
                ready.put_nowait(encode(event))
        except Exception as exc:  # handed to the consumer, which raises it in order
            ready.put_nowait(exc)
        finally:
            ready.put_nowait(_END)

    task = asyncio.create_task(produce())
    try:
        while True:
            batch = [await ready.get()]
            while not ready.empty():
                batch.append(ready.get_nowait())
            done = batch[-1] is _END
            failure = next((item for item in batch if isinstance(item, Exception)), None)
            data = b"".join(item for item in batch if isinstance(item, bytes))
            if data:
                yield data
            if failure is not None:
                raise failure
            if done:
                return
    finally:
        if not task.done():
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
