"""Keep the objects every request needs out of the garbage collector's full passes.

A built app holds about 314,000 container objects (the graph, the advisor's NLU, the policy
index, schemas and settings) that live as long as the process. CPython's oldest-generation
collection walks all of them: 180-250 ms on this machine, every 3-5 s under chat load, with
every request on that worker stalled meanwhile. That pause was the tail of chat latency in a
two-worker run (p50 375 ms, p95 640 ms; docs/scaling.md). `gc.freeze` moves what exists
once the app is built into a permanent generation the collector no longer walks, as
long-running servers that preload their app do; what requests create is still collected.
"""

from __future__ import annotations

import gc


def freeze_startup_objects() -> int:
    """Collect what startup left behind, then freeze the rest; return how many are frozen.

    Call once the app is built and warmed, before it serves. Anything frozen and dropped
    is reclaimed only after `release_startup_objects` (the lifespan's shutdown calls it),
    which is fine: startup objects live as long as the app does.
    """
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def release_startup_objects() -> None:
    """Hand frozen objects back to the collector: a process building another app frees this one."""
    gc.unfreeze()
