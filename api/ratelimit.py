"""Per-key request budgets (per user and per client IP), kept in process memory.

A sliding-window counter: the previous minute's count weighs in by how much of it still
overlaps the window, so a burst at a minute boundary cannot double the budget. One
process holds its own counts; behind several instances the limit is per instance (API
Gateway usage plans cap the total in AWS mode).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable


class RateLimiter:
    """Allow at most `per_minute` requests per key over any sliding minute (approximately)."""

    def __init__(self, per_minute: int, now: Callable[[], float] = time.monotonic) -> None:
        self._limit = per_minute
        self._now = now
        self._lock = threading.Lock()
        self._counts: dict[str, tuple[int, int, int]] = {}  # key -> (window, current, previous)

    def hit(self, key: str) -> int:
        """Count one request; return 0 if allowed, else seconds until a retry may succeed."""
        now = self._now()
        window = int(now // 60)
        with self._lock:
            win, cur, prev = self._counts.get(key, (window, 0, 0))
            if window != win:
                prev = cur if window == win + 1 else 0
                cur = 0
            weight = 1 - (now % 60) / 60
            if cur + prev * weight >= self._limit:
                self._counts[key] = (window, cur, prev)
                return max(1, math.ceil(60 - now % 60))
            self._counts[key] = (window, cur + 1, prev)
            if len(self._counts) > 100_000:  # forget idle keys rather than grow without bound
                self._counts = {k: v for k, v in self._counts.items() if v[0] >= window - 1}
            return 0
