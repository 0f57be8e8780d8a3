"""Identifiers: opaque, URL-safe, unguessable (ids are never sequential, so they leak nothing)."""

from __future__ import annotations

import re
import secrets

ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def new_id(prefix: str) -> str:
    """Return a fresh id such as `thr_3fK9...`; the prefix tells a person what kind it is."""
    return f"{prefix}_{secrets.token_urlsafe(12)}"


def is_valid_id(value: str) -> bool:
    """Say whether `value` has the shape of one of our ids (cheap check before any lookup)."""
    return bool(ID_PATTERN.match(value))
