"""The worker supervisor: a worker that hangs after serving is killed and replaced."""

from __future__ import annotations

import threading
import time
from collections.abc import MutableSequence
from typing import Any

import pytest

from api import workers
from api.workers import Workers
from tests.integration.servers import free_port


def beat_once_then_hang(
    options: dict[str, Any],
    log_level: str,
    loads: MutableSequence[int],
    beats: MutableSequence[float],
    index: int,
) -> None:
    """A worker that serves for a moment, then its loop stops turning (a spawned entry)."""
    beats[index] = time.monotonic()
    time.sleep(3600)


def never_beat(*_: Any) -> None:
    """A worker still starting up: no heartbeat yet."""
    time.sleep(3600)


class Counted(Workers):
    """Workers that remember every process they started."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.started: list[int | None] = []

    def _start(self, index: int) -> Any:
        process = super()._start(index)
        self.started.append(process.pid)
        return process


def _run_until(group: Counted, done: Any, timeout: float = 60.0) -> int:
    """Run the supervisor (it needs the main thread, for its signal handlers) until `done`."""

    def watch() -> None:
        deadline = time.monotonic() + timeout
        while not done() and time.monotonic() < deadline:
            time.sleep(0.1)
        group.stopping.set()

    threading.Thread(target=watch, daemon=True).start()
    return group.run()


@pytest.mark.skipif(not workers.supported(), reason="needs SO_REUSEPORT")
def test_a_worker_silent_past_the_limit_is_killed_and_replaced():
    options = {"host": "127.0.0.1", "port": free_port()}
    group = Counted(options, 1, hang_after_s=1.0, target=beat_once_then_hang)
    status = _run_until(group, lambda: len(group.started) >= 2)
    assert status == 0 and len(group.started) >= 2
    assert len(set(group.started)) == len(group.started)  # a new process each time


@pytest.mark.skipif(not workers.supported(), reason="needs SO_REUSEPORT")
def test_a_worker_that_has_not_started_serving_is_given_its_time():
    options = {"host": "127.0.0.1", "port": free_port()}
    group = Counted(options, 1, hang_after_s=0.5, target=never_beat)
    began = time.monotonic()
    _run_until(group, lambda: time.monotonic() - began > 3.0)
    assert len(group.started) == 1


async def test_every_tick_of_the_server_loop_stamps_its_heartbeat():
    import uvicorn

    beats = [0.0, 0.0]
    server = workers.BeatingServer(uvicorn.Config(app=None), beats, 1)
    before = time.monotonic()
    await server.on_tick(0)
    assert beats[0] == 0.0 and before <= beats[1] <= time.monotonic()
