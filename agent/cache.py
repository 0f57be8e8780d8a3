"""LLM response cache (LangChain's `BaseCache`): SQLite with a TTL, never personal data.

Keyed by a hash of the model's identity string (model id, parameters, bound tools)
and the full prompt (which holds the versioned system prompt and the inputs), so a
new prompt version or model never sees old answers. Conversations that carry
personal data - PII patterns, the applicant's own figures, or any application,
decision or handover tool output - are neither looked up nor stored: a cached
reply must be one any applicant could be shown.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from langchain_core.caches import RETURN_VAL_TYPE, BaseCache
from langchain_core.load import dumps, loads
from langchain_core.messages import BaseMessage, HumanMessage, ToolMessage

from core.clock import Clock
from core.redaction import redact

PERSONAL_TOOLS = {
    "submit_application",
    "make_offers",
    "score_applicant",
    "negotiate_offer",
    "compare_offers",
    "accept_offer",
    "provide_document",
    "explain_decision",
    "application_status",
    "request_human",
}


def carries_personal_data(prompt: str, generations: Sequence[Any] = ()) -> bool:
    """Say whether a prompt (LangChain's serialised messages) or reply holds personal data."""
    texts = [str(getattr(g, "text", g)) for g in generations]
    if any(redact(t) != t for t in texts) or redact(prompt) != prompt:
        return True
    try:
        messages = loads(prompt, allowed_objects="messages")
    except (ValueError, TypeError, KeyError, json.JSONDecodeError):
        return True  # unknown shape: assume the worst
    if not isinstance(messages, list):
        return True
    for message in messages:
        if not isinstance(message, BaseMessage):
            return True
        if isinstance(message, HumanMessage) and any(c.isdigit() for c in str(message.content)):
            return True
        if isinstance(message, ToolMessage) and message.name in PERSONAL_TOOLS:
            return True
    return False


class SqliteTTLCache(BaseCache):
    """LLM cache in an SQLite file; entries expire after `ttl_seconds`."""

    def __init__(self, path: Path, clock: Clock, ttl_seconds: float = 24 * 3600) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS llm_cache (key TEXT PRIMARY KEY, value TEXT NOT NULL,"
            " created REAL NOT NULL)"
        )
        self._clock = clock
        self._ttl = ttl_seconds
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(prompt: str, llm_string: str) -> str:
        """Return the cache key: SHA-256 of the model identity and the prompt."""
        return hashlib.sha256(f"{llm_string}\x00{prompt}".encode()).hexdigest()

    def lookup(self, prompt: str, llm_string: str) -> RETURN_VAL_TYPE | None:
        """Return the cached generations, or None (also for personal or expired entries)."""
        if carries_personal_data(prompt):
            return None
        with self._lock:
            row = self._conn.execute(
                "SELECT value, created FROM llm_cache WHERE key = ?",
                (self.key(prompt, llm_string),),
            ).fetchone()
        if row is None or self._clock.now().timestamp() - row[1] > self._ttl:
            self.misses += 1
            return None
        self.hits += 1
        value: RETURN_VAL_TYPE = loads(row[0], allowed_objects="core")
        return value

    def update(self, prompt: str, llm_string: str, return_val: RETURN_VAL_TYPE) -> None:
        """Store generations unless the exchange carries personal data."""
        if carries_personal_data(prompt, return_val):
            return
        with self._lock:
            self._conn.execute(
                "INSERT OR REPLACE INTO llm_cache VALUES (?, ?, ?)",
                (
                    self.key(prompt, llm_string),
                    dumps(list(return_val)),
                    self._clock.now().timestamp(),
                ),
            )

    def clear(self, **kwargs: Any) -> None:
        """Drop every entry."""
        with self._lock:
            self._conn.execute("DELETE FROM llm_cache")
