"""Prompt A/B experiments: each thread gets one variant, stable for its whole life.

Assignment hashes the thread id, so it needs no storage, survives restarts and
spreads threads evenly; the chosen variant and prompt version go into every
turn's `versions` so evals can compare the arms.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Variant:
    """One arm of the experiment: which system prompt version it uses and its share."""

    name: str
    system_prompt_version: int
    weight: int


# A = the full instructions (system/v2), B = the concise style (system/v3).
DEFAULT_VARIANTS = (Variant("A", 2, 50), Variant("B", 3, 50))


def assign_variant(thread_id: str, variants: tuple[Variant, ...] = DEFAULT_VARIANTS) -> Variant:
    """Return the variant for `thread_id` (deterministic; weights are relative shares)."""
    total = sum(v.weight for v in variants)
    bucket = int(hashlib.sha256(thread_id.encode()).hexdigest()[:8], 16) % total
    for variant in variants:
        if bucket < variant.weight:
            return variant
        bucket -= variant.weight
    return variants[-1]
