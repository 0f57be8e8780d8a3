"""Experiment definitions: the versioned YAML a staff member writes, validated before any use.

A definition is immutable once running: its arms, weights, salt and targeting decide who sees
what, so changing them mid-flight would silently mix two experiments. A change is a new version.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from core.errors import Conflict, ValidationFailed

Status = Literal["draft", "running", "stopped", "archived"]
MetricKind = Literal["binomial", "mean"]
Direction = Literal["increase", "decrease"]

TRANSITIONS: dict[tuple[Status, str], Status] = {
    ("draft", "start"): "running",
    ("running", "stop"): "stopped",
    ("draft", "archive"): "archived",
    ("stopped", "archive"): "archived",
}
"""(status, action) -> new status; anything else is a `Conflict`."""

SURFACES = ("prompt", "offer_presentation", "ui_layout")
"""Built-in surfaces; any other lower-case name is a named feature flag."""


class ArmDefinition(BaseModel):
    """One variant: its name, relative weight and what it changes (e.g. a prompt version)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[A-Za-z0-9_-]{1,40}$")
    weight: float = Field(gt=0, description="relative share of the traffic")
    config: dict[str, str | int | float | bool] = Field(
        default_factory=dict, description="what the arm changes, e.g. system_prompt_version: 3"
    )


class MetricDefinition(BaseModel):
    """A metric computed from outcome events of exposed users after their exposure."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9_]{1,60}$")
    event: str = Field(description="the outcome event kind, e.g. submitted, accepted, thumb")
    kind: MetricKind = "binomial"
    """binomial: share of users with the event; mean: mean per-user sum of the event's value."""
    direction: Direction = "increase"
    """Which way is better (for guardrails: which way is harm)."""


class ExperimentDefinition(BaseModel):
    """A complete experiment: who is in it, which arms, what is measured, when to decide."""

    model_config = ConfigDict(extra="forbid")

    key: str = Field(pattern=r"^[a-z0-9_]{1,60}$")
    version: int = Field(ge=1)
    name: str = ""
    description: str = ""
    surface: str = Field(pattern=r"^[a-z0-9_]{1,60}$")
    unit: Literal["user"] = "user"
    arms: list[ArmDefinition] = Field(min_length=2)
    control: str | None = Field(None, description="the control arm's name; default the first")
    primary_metric: MetricDefinition
    secondary_metrics: list[MetricDefinition] = Field(default_factory=list)
    guardrail_metrics: list[MetricDefinition] = Field(default_factory=list)
    min_sample_per_arm: int = Field(100, ge=10)
    mde: float = Field(0.05, gt=0, description="minimum detectable effect (absolute)")
    alpha: float = Field(0.05, gt=0, lt=0.5)
    sequential: bool = Field(False, description="always-valid p-values, so peeking is safe")
    cuped: bool = Field(
        False, description="adjust by each user's pre-exposure value (CUPED): narrower intervals"
    )
    holdout: float = Field(0.0, ge=0, lt=1, description="share of targeted users kept out")
    targeting: dict[str, Any] = Field(
        default_factory=dict, description="GrowthBook condition on user attributes, e.g. role"
    )
    salt: str | None = Field(None, description="hash seed; default key/vN")
    start: datetime | None = None
    stop: datetime | None = None
    status: Status = "draft"

    @model_validator(mode="after")
    def _consistent(self) -> ExperimentDefinition:
        names = [a.name for a in self.arms]
        if len(set(names)) != len(names):
            raise ValueError("arm names must be unique")
        if self.control is not None and self.control not in names:
            raise ValueError(f"control {self.control!r} is not one of the arms {names}")
        metrics = [self.primary_metric, *self.secondary_metrics, *self.guardrail_metrics]
        if len({m.name for m in metrics}) != len(metrics):
            raise ValueError("metric names must be unique")
        if self.start and self.stop and self.stop <= self.start:
            raise ValueError("stop must be after start")
        return self

    @property
    def experiment_id(self) -> str:
        """Return the id exposures and results are kept under (key/vN)."""
        return f"{self.key}/v{self.version}"

    @property
    def control_arm(self) -> str:
        """Return the control arm's name."""
        return self.control or self.arms[0].name

    @property
    def seed(self) -> str:
        """Return the hash seed: a new version re-randomises unless a salt is pinned."""
        return self.salt or self.experiment_id

    def same_design(self, other: ExperimentDefinition) -> bool:
        """Return whether `other` assigns exactly as this one (arms, weights, salt, targeting)."""
        fields = ("arms", "seed", "targeting", "holdout", "control")
        return all(getattr(self, f) == getattr(other, f) for f in fields)

    def revised_by(self, new: ExperimentDefinition) -> ExperimentDefinition:
        """Return `new` stored over this version: its status and dates are kept.

        A draft may change freely; once started, a version's design (arms, weights, salt,
        targeting) is fixed, because changing it would move users between arms mid-run.
        Every store applies this one rule.
        """
        if self.status != "draft" and not self.same_design(new):
            raise Conflict(
                f"{self.experiment_id} is {self.status}: its arms, weights, salt and"
                " targeting are fixed; save the change as a new version",
                field="arms",
            )
        return new.model_copy(
            update={"status": self.status, "start": self.start, "stop": self.stop}
        )

    def moved(self, action: str, now: datetime) -> ExperimentDefinition:
        """Return this version after start/stop/archive, stamped with `now`.

        The lifecycle lives here so every store refuses the same illegal moves with the same
        words; a store adds only what it must guard atomically (one running version per key
        and surface).
        """
        to = TRANSITIONS.get((self.status, action))
        if to is None:
            raise Conflict(f"{self.experiment_id} is {self.status}; cannot {action}")
        update: dict[str, object] = {"status": to}
        if action == "start":
            update["start"] = now
        elif action == "stop":
            update["stop"] = now
        return self.model_copy(update=update)

    def to_yaml(self) -> str:
        """Return the definition as YAML (the form it is stored and reviewed in)."""
        return yaml.safe_dump(self.model_dump(mode="json", exclude_none=True), sort_keys=False)


def parse_definition(text: str) -> ExperimentDefinition:
    """Parse and validate YAML text; a problem raises `ValidationFailed` naming the field."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValidationFailed(f"not valid YAML: {exc}", field="definition") from exc
    if not isinstance(data, dict):
        raise ValidationFailed("an experiment definition is a YAML mapping", field="definition")
    return validate_definition(data)


def validate_definition(data: dict[str, Any]) -> ExperimentDefinition:
    """Validate a mapping; the first problem raises `ValidationFailed` naming its field."""
    try:
        return ExperimentDefinition.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "definition"
        raise ValidationFailed(f"{where}: {first['msg']}", field=where) from exc
