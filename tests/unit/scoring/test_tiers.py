from __future__ import annotations

import pytest

from scoring.tiers import risk_tier


@pytest.mark.parametrize(
    ("pd", "tier"),
    [(0.0, "A"), (0.0499, "A"), (0.05, "B"), (0.0999, "B"), (0.10, "C"), (0.1999, "C"),
     (0.20, "D"), (0.3499, "D"), (0.35, "E"), (1.0, "E")],
)  # fmt: skip
def test_tier_cutoffs_follow_the_contract(pd: float, tier: str) -> None:
    assert risk_tier(pd) == tier


@pytest.mark.parametrize("bad", [-0.01, 1.01, float("nan")])
def test_rejects_non_probabilities(bad: float) -> None:
    with pytest.raises(ValueError, match="probability"):
        risk_tier(bad)
