"""Keep a group of workers evenly loaded: a crowded worker asks a client to reconnect.

Each worker listens on its own SO_REUSEPORT socket (api/workers.py) and the kernel places a
new connection by a hash of its addresses, so 50 keep-alive clients split 29/21 as often as
25/25, and stay split for as long as their connections live. With CPU-bound chat turns the
latency a worker gives is proportional to the clients it holds: in a measured two-worker
run one worker held about 30 sessions and answered in 440 ms at the median while the other
held 19 and answered in 230 ms (docs/scaling.md). Load balancers fix this by sending each
request to the least busy server; a worker cannot move a request, but it can end a
keep-alive connection after a response (`Connection: close`), and the client's next
connection is hashed afresh. A worker does that only while it has at least `MARGIN` more
requests in flight than the least busy worker of its group, so an even split stays put.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import MutableSequence
from typing import Final, cast

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MARGIN: Final = 2  # moving one request off helps only when the gap is at least two
_CLOSE: Final = (b"connection", b"close")


class WorkerLoads:
    """Requests in flight per worker of one group, in memory the workers share.

    Each worker writes only its own slot, from its event loop; the others' slots are read
    without a lock, as a load balancer reads slightly stale counts: a count off by one for a
    moment costs at most one needless reconnection.
    """

    def __init__(self, counts: MutableSequence[int], index: int) -> None:
        self.counts = counts
        self.index = index

    @staticmethod
    def shared(count: int) -> MutableSequence[int]:
        """Return zeroed counters for `count` workers, in memory a spawned child inherits."""
        array = multiprocessing.get_context("spawn").Array("i", count, lock=False)
        return cast(MutableSequence[int], array)

    def enter(self) -> None:
        """Count a request that has arrived."""
        self.counts[self.index] += 1

    def leave(self) -> None:
        """Stop counting a request: it has ended, or its client is leaving this worker."""
        self.counts[self.index] -= 1

    def crowded(self) -> bool:
        """Say whether this worker is `MARGIN` or more requests busier than the least busy."""
        mine = self.counts[self.index]
        others = [n for i, n in enumerate(self.counts) if i != self.index]
        return bool(others) and mine - min(others) >= MARGIN


_group: WorkerLoads | None = None


def join(counts: MutableSequence[int], index: int) -> None:
    """Make this process worker `index` of the group sharing `counts` (before its app starts)."""
    global _group
    _group = WorkerLoads(counts, index)


def group() -> WorkerLoads | None:
    """This process's worker group, or None when it serves alone."""
    return _group


class Rebalancer:
    """Count this worker's requests in flight; end a crowded worker's connections."""

    def __init__(self, app: ASGIApp, *, loads: WorkerLoads) -> None:
        self.app = app
        self.loads = loads

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add `Connection: close` to its response when crowded."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        counted = True

        async def send_closing(message: Message) -> None:
            nonlocal counted
            if message["type"] == "http.response.start" and self.loads.crowded():
                message = {**message, "headers": [*message.get("headers", ()), _CLOSE]}
                # This client is leaving: its request no longer counts as this worker's load,
                # or every response started before it finishes would send another one away.
                self.loads.leave()
                counted = False
            await send(message)

        self.loads.enter()
        try:
            await self.app(scope, receive, send_closing)
        finally:
            if counted:
                self.loads.leave()
