"""Several API worker processes on one port, each with its own listening socket.

uvicorn's `--workers` shares one listening socket among its workers, and whichever worker
wakes first accepts a connection. A keep-alive connection then stays with that worker for
its life, so a burst of clients connecting at once (50 sessions opening together, or the
browsers of a busy hour) can all land on one worker while the other idles: a measured
two-worker run served 0.88x of one worker's throughput that way (docs/scaling.md). Here
every worker binds its own socket with SO_REUSEPORT, and the kernel spreads new
connections over them by a hash of each connection's addresses. Linux only lets sockets of
the same user join such a group, so another account cannot take a share of the traffic.

The parent keeps one bound socket, never listening: it holds the port, so a port already
in use fails at once with a plain message, and it receives no connections. It restarts a
worker that dies, and one that hangs: each worker's event loop stamps a heartbeat in memory
the group shares on every tick of uvicorn's main loop (ten a second), and a worker whose
stamp is `HANG_AFTER_S` old, its loop blocked or deadlocked, is killed and replaced. It
stops every worker on SIGINT or SIGTERM, and stops serving if a worker fails to start (the
app would fail the same way on every restart).
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, MutableSequence
from multiprocessing.process import BaseProcess
from typing import Any, cast

import uvicorn

from api.balance import WorkerLoads

logger = logging.getLogger(__name__)

STARTUP_FAILURE = 3  # the exit code uvicorn uses when an app cannot start
STOP_GRACE_S = 10.0  # beyond each worker's graceful shutdown, before it is killed
CHECK_EVERY_S = 0.5
# As long as uvicorn's own supervisor gives a worker to answer its ping (api.main); a turn
# is well under a second of CPU, so a loop silent this long is stuck, not busy.
HANG_AFTER_S = 60.0


def supported() -> bool:
    """Say whether this platform can give each worker its own socket on one port."""
    return hasattr(socket, "SO_REUSEPORT")


def reuse_port_socket(host: str, port: int) -> socket.socket:
    """Return a TCP socket bound to (host, port) that other sockets of this user may share."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


class BeatingServer(uvicorn.Server):
    """A uvicorn server that stamps its slot of `beats` on every tick of its main loop.

    Ticks start once the app's lifespan has started, so a worker still loading is not
    taken for a hung one, and they stop when the event loop stops turning.
    """

    def __init__(self, config: uvicorn.Config, beats: MutableSequence[float], index: int) -> None:
        super().__init__(config)
        self.beats = beats
        self.index = index

    async def on_tick(self, counter: int) -> bool:
        """Stamp the heartbeat, then let uvicorn decide whether to stop."""
        self.beats[self.index] = time.monotonic()
        return await super().on_tick(counter)


def serve_worker(
    options: dict[str, Any],
    log_level: str,
    loads: MutableSequence[int],
    beats: MutableSequence[float],
    index: int,
) -> None:
    """Run one uvicorn server on a socket of its own (a spawned worker process's entry).

    `loads` are the group's shared in-flight counts (api/balance.py: the app built here
    evens out the connections) and `beats` its heartbeats; `index` is this worker's slot.
    """
    from api import balance
    from core.logging import configure_logging

    configure_logging(log_level)
    balance.join(loads, index)
    config = uvicorn.Config(**options)
    sock = reuse_port_socket(config.host, config.port)
    server = BeatingServer(config, beats, index)
    server.run(sockets=[sock])
    if not server.started:
        sys.exit(STARTUP_FAILURE)


class Workers:
    """Start, watch and stop `count` worker processes serving uvicorn `options`."""

    def __init__(
        self,
        options: dict[str, Any],
        count: int,
        log_level: str = "INFO",
        *,
        hang_after_s: float = HANG_AFTER_S,
        target: Callable[..., None] = serve_worker,
    ) -> None:
        self.options = options
        self.count = count
        self.log_level = log_level
        self.hang_after_s = hang_after_s
        self.target = target  # a spawned process's entry, called as `serve_worker` is
        self.stopping = threading.Event()
        self._context = multiprocessing.get_context("spawn")  # as uvicorn: no forked state
        self.loads = WorkerLoads.shared(count)
        self.beats = cast(MutableSequence[float], self._context.Array("d", count, lock=False))

    def _start(self, index: int) -> BaseProcess:
        self.loads[index] = 0  # a replacement starts with nothing in flight
        self.beats[index] = 0.0  # and has not beaten yet: it may take its time to start
        process = self._context.Process(
            target=self.target,
            args=(self.options, self.log_level, self.loads, self.beats, index),
            name="loan-advisor-worker",
        )
        process.start()
        logger.info("worker started", extra={"pid": process.pid})
        return process

    def run(self) -> int:
        """Serve until SIGINT or SIGTERM; return the exit status for the command."""
        try:
            holder = reuse_port_socket(self.options["host"], self.options["port"])
        except OSError as exc:
            logger.error(
                "cannot listen on %s:%s: %s", self.options["host"], self.options["port"], exc
            )
            return 1
        previous = {
            sig: signal.signal(sig, lambda *_: self.stopping.set())
            for sig in (signal.SIGINT, signal.SIGTERM)
        }
        processes = [self._start(i) for i in range(self.count)]
        status = 0
        try:
            while not self.stopping.wait(CHECK_EVERY_S):
                for i, process in enumerate(processes):
                    if self.stopping.is_set():
                        break
                    if process.is_alive():
                        if self._hung(i):
                            processes[i] = self._replace_hung(process, i)
                        continue
                    if process.exitcode == STARTUP_FAILURE:
                        logger.error(
                            "a worker failed to start; stopping", extra={"pid": process.pid}
                        )
                        self.stopping.set()
                        status = STARTUP_FAILURE
                        break
                    logger.warning(
                        "worker died; starting another",
                        extra={"pid": process.pid, "exitcode": process.exitcode},
                    )
                    processes[i] = self._start(i)
        finally:
            self._stop(processes)
            holder.close()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        return status

    def _hung(self, index: int) -> bool:
        """Say whether worker `index` has served, then not beaten for `hang_after_s`."""
        beat = self.beats[index]
        return beat > 0 and time.monotonic() - beat > self.hang_after_s

    def _replace_hung(self, process: BaseProcess, index: int) -> BaseProcess:
        """Kill a worker whose event loop stopped turning, and start another in its place."""
        silent = time.monotonic() - self.beats[index]
        logger.error(
            "worker stopped answering; killing it and starting another",
            extra={"pid": process.pid, "silent_s": round(silent, 1)},
        )
        process.kill()  # SIGTERM is handled on the loop that no longer turns
        process.join()
        return self._start(index)

    def _stop(self, processes: list[BaseProcess]) -> None:
        """Ask every worker to finish (SIGTERM: in-flight requests get the graceful window)."""
        for process in processes:
            if process.is_alive():
                process.terminate()
        grace = float(self.options.get("timeout_graceful_shutdown") or 0) + STOP_GRACE_S
        for process in processes:
            process.join(grace)
            if process.is_alive():
                process.kill()
                process.join()
