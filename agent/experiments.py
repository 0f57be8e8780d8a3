"""A/B experiments as the agent sees them: which system prompt a user's arm selects.

The experiments runtime (`experiments/`) owns definitions, assignment and exposures; the agent
calls `prompt_variant_for(experiment, user_id)` with the run context's user id, so the unit of
randomisation is the user. `assign_variant` (by thread) remains for runs without a user.

Legacy assignment hashes a stable key (the thread id; for UI experiments the user id plus the
experiment's name, so a user's arms in different experiments are independent), so it needs no
storage, survives restarts and spreads subjects evenly. The chosen prompt variant and version go
into every turn's `versions`; UI exposures go to the event log, so evals can compare the arms.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from experiments.assignment import assign
from experiments.definition import ExperimentDefinition


@dataclass(frozen=True)
class Variant:
    """One arm of the experiment: which system prompt version it uses and its share."""

    name: str
    system_prompt_version: int
    weight: int


# A = the full instructions, offers by lowest payment (system/v4); B = the concise style that
# leads with the cheapest-overall offer (system/v7: v5's style, with the tools and the
# fair-lending rule on age made consistent; v7 adds provide_document). The style lives in each
# file's front matter.
DEFAULT_VARIANTS = (Variant("A", 4, 50), Variant("B", 7, 50))


def variants_of(experiment: ExperimentDefinition) -> tuple[Variant, ...]:
    """Return a prompt experiment's arms as variants (each arm's `system_prompt_version`)."""
    if experiment.surface != "prompt":
        raise ValueError(f"{experiment.experiment_id} is a {experiment.surface} experiment")
    return tuple(
        Variant(a.name, int(a.config["system_prompt_version"]), round(a.weight))
        for a in experiment.arms
    )


def prompt_variant_for(
    experiment: ExperimentDefinition | None,
    user_id: str,
    variants: tuple[Variant, ...] = DEFAULT_VARIANTS,
) -> Variant:
    """Return the prompt variant `user_id` gets (pure; the same on every thread and restart).

    With no running prompt experiment every user gets the first (control) variant. The caller
    records the exposure (the runtime's store) when the reply in that arm is shown.
    """
    if experiment is None:
        return variants[0]
    arm = assign(experiment, user_id).arm
    by_name = {v.name: v for v in variants_of(experiment)}
    return by_name[arm]


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
