"""Sticky assignment: which arm a user sees, from a salted hash of (experiment, user id).

GrowthBook's SDK does the hashing (FNV-1a, hash version 2), weights, coverage and targeting
conditions, so assignments match what a GrowthBook deployment would compute and need no
storage: the same user gets the same arm on every device and after every restart, and arms of
different experiments are independent because each experiment hashes with its own seed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from growthbook import Experiment, GrowthBook

from experiments.definition import ExperimentDefinition

Reason = Literal["assigned", "holdout", "not_targeted", "not_running"]


@dataclass(frozen=True)
class Assignment:
    """The arm a user sees; `in_experiment` False means control behaviour, not analysed."""

    experiment_id: str
    arm: str
    in_experiment: bool
    reason: Reason


def assign(
    experiment: ExperimentDefinition,
    user_id: str,
    attributes: Mapping[str, Any] | None = None,
) -> Assignment:
    """Return `user_id`'s arm of `experiment` (pure and deterministic).

    Users outside the targeting condition, in the holdout, or in an experiment that is not
    running get the control arm with `in_experiment=False`; only assigned users are exposed.
    """
    control = experiment.control_arm
    if experiment.status != "running":
        return Assignment(experiment.experiment_id, control, False, "not_running")
    names = [a.name for a in experiment.arms]
    total = sum(a.weight for a in experiment.arms)
    gb = GrowthBook(attributes={**(attributes or {}), "id": user_id})
    result = gb.run(
        Experiment(
            key=experiment.experiment_id,
            variations=names,
            weights=[a.weight / total for a in experiment.arms],
            coverage=1.0 - experiment.holdout,
            condition=experiment.targeting or None,
            seed=experiment.seed,
            hashAttribute="id",
            hashVersion=2,
        )
    )
    if result.inExperiment:
        return Assignment(experiment.experiment_id, str(result.value), True, "assigned")
    # GrowthBook does not say why; the condition is checked here to tell the two apart.
    targeted = not experiment.targeting or _targeted(gb, experiment)
    return Assignment(
        experiment.experiment_id, control, False, "holdout" if targeted else "not_targeted"
    )


def _targeted(gb: GrowthBook, experiment: ExperimentDefinition) -> bool:
    probe = gb.run(
        Experiment(
            key=f"{experiment.experiment_id}#targeting",
            variations=[False, True],
            weights=[0.0, 1.0],
            condition=experiment.targeting,
            hashAttribute="id",
        )
    )
    return bool(probe.inExperiment)
