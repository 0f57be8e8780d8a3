"""A/B experiments: prompt variants per thread, UI variants per user.

Assignment hashes a stable key (the thread id; for UI experiments the user id plus the
experiment's name, so a user's arms in different experiments are independent), so it needs no
storage, survives restarts and spreads subjects evenly. The chosen prompt variant and version go
into every turn's `versions`; UI exposures go to the event log, so evals can compare the arms.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Variant:
    """One arm of the experiment: which system prompt version it uses and its share."""

    name: str
    system_prompt_version: int
    weight: int


# A = the full instructions (system/v2), B = the concise style (system/v3).
DEFAULT_VARIANTS = (Variant("A", 2, 50), Variant("B", 3, 50))


def weighted_pick(key: str, weights: Sequence[int]) -> int:
    """Return the index of the arm `key` falls in (deterministic; weights are relative shares)."""
    total = sum(weights)
    if total <= 0:
        raise ValueError("an experiment needs at least one arm with a positive weight")
    bucket = int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % total
    for index, weight in enumerate(weights):
        if bucket < weight:
            return index
        bucket -= weight
    return len(weights) - 1


def assign_variant(thread_id: str, variants: tuple[Variant, ...] = DEFAULT_VARIANTS) -> Variant:
    """Return the variant for `thread_id` (deterministic; weights are relative shares)."""
    return variants[weighted_pick(thread_id, [v.weight for v in variants])]


@dataclass(frozen=True)
class UiArm:
    """One arm of a UI experiment: the value the client receives and its relative share."""

    value: str
    weight: int


@dataclass(frozen=True)
class UiExperiment:
    """A UI experiment; bump `version` when arms or weights change, so exposures stay apart."""

    name: str
    version: int
    arms: tuple[UiArm, ...]

    @property
    def experiment_id(self) -> str:
        """Return the id recorded with each exposure (name and version)."""
        return f"{self.name}/v{self.version}"


# The one place UI experiments and their weights are configured. The first arm is the control
# (the client's default); the frontend accepts only these values (frontend/src/experiments).
UI_EXPERIMENTS = (
    UiExperiment("chat_layout", 1, (UiArm("panel", 50), UiArm("floating", 50))),
    UiExperiment("offer_presentation", 1, (UiArm("cards", 50), UiArm("table", 50))),
)


UI_EXPOSURE = "ui_exposure"
"""Event-log kind of a UI exposure: payload experiment_id, experiment, variant, user."""


def assign_ui_variants(
    user_id: str, experiments: tuple[UiExperiment, ...] = UI_EXPERIMENTS
) -> dict[str, str]:
    """Return experiment name -> arm value for `user_id` (stable across sessions and devices)."""
    return {
        e.name: e.arms[weighted_pick(f"{user_id}:{e.name}", [a.weight for a in e.arms])].value
        for e in experiments
    }
