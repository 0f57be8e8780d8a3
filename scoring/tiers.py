"""Risk tiers A..E by probability of default (the cut-offs lending's policy YAML mirrors)."""

from __future__ import annotations

from typing import Literal

RiskTier = Literal["A", "B", "C", "D", "E"]

# Upper bounds (exclusive) of tiers A..D; anything at or above the last bound is E.
# Lending mirrors these letters in its policy YAML and must not import this module.
TIER_BOUNDS: tuple[tuple[RiskTier, float], ...] = (
    ("A", 0.05),
    ("B", 0.10),
    ("C", 0.20),
    ("D", 0.35),
)


def risk_tier(pd: float) -> RiskTier:
    """Return the tier letter for a probability of default.

    A < 0.05 <= B < 0.10 <= C < 0.20 <= D < 0.35 <= E (see CONTRACTS.md).

    Raises:
        ValueError: if `pd` is not a probability in [0, 1].
    """
    if not 0.0 <= pd <= 1.0:
        raise ValueError(f"probability of default must be in [0, 1], got {pd!r}")
    for tier, upper in TIER_BOUNDS:
        if pd < upper:
            return tier
    return "E"
