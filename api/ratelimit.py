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


class LoginThrottle:
    """Back off logins for an account or a client IP after repeated wrong passwords.

    After `free_failures` wrong passwords for a key, the key is locked for `base_seconds`,
    doubling with each further failure up to `max_seconds`. A locked key is refused before the
    password is checked, so the right password does not work at once after a guessing run; a
    successful login clears the account's failures (not the IP's: one good account must not
    launder guesses against others).
    """

    def __init__(
        self,
        free_failures: int,
        base_seconds: float,
        max_seconds: float,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self._free = free_failures
        self._base = base_seconds
        self._max = max_seconds
        self._now = now
        self._lock = threading.Lock()
        self._state: dict[str, tuple[int, float]] = {}  # key -> (failures, locked until)

    def retry_after(self, key: str) -> int:
        """Return 0 if `key` may try now, else whole seconds until it may."""
        with self._lock:
            _, until = self._state.get(key, (0, 0.0))
        wait = until - self._now()
        return max(1, math.ceil(wait)) if wait > 0 else 0

    def failed(self, key: str) -> None:
        """Count a wrong password for `key`, locking it once past the free failures."""
        with self._lock:
            failures, until = self._state.get(key, (0, 0.0))
            failures += 1
            if failures >= self._free:
                backoff = min(self._max, self._base * 2 ** (failures - self._free))
                until = self._now() + backoff
            self._state[key] = (failures, until)
            if len(self._state) > 100_000:  # forget expired locks rather than grow unbounded
                now = self._now()
                self._state = {k: v for k, v in self._state.items() if v[1] > now}

    def succeeded(self, key: str) -> None:
        """Forget `key`'s failures."""
        with self._lock:
            self._state.pop(key, None)
