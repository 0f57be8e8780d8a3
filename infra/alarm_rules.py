"""The CloudWatch side of the alarm rule file (`core/alarm_rules.yaml`), typed.

The rule file belongs to the runtime (`core.alarms` reads it for `loan-advisor ops check`); the
infrastructure reads the same rules and builds one CloudWatch alarm per rule that carries a
`cloudwatch` block. The block's thresholds are in the AWS metric's own unit, so where they differ
from the local rule's (seconds vs milliseconds) they are stated in the file, not converted here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from core.alarms import ALARMS
from core.alarms import AlarmRule as RuntimeRule

Source = Literal[
    "api.5xx",
    "api.latency",
    "lambda.errors",
    "lambda.throttles",
    "sagemaker.model_latency",
    "sagemaker.errors",
    "dynamodb.throttles",
    "emf",  # the rule's own catalogue metric, as the API's EMF lines publish it
]


class CloudWatchAlarm(BaseModel):
    """A rule's `cloudwatch` block; unset numbers and the description come from the rule."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: Source
    statistic: str
    threshold: float | None = None
    period_seconds: int | None = Field(None, ge=60)
    evaluation_periods: int | None = Field(None, ge=1)
    description: str | None = None


class AlarmRule(BaseModel):
    """One CloudWatch alarm to build: the rule merged with its `cloudwatch` block."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(..., pattern=r"^[a-z0-9-]+$")  # alarm names: loan-advisor-<stage>-<id>
    metric: str  # the catalogue metric (what an `emf` source alarms on)
    source: Source
    statistic: str
    threshold: float
    period_seconds: int = Field(..., ge=60)
    evaluation_periods: int = Field(..., ge=1)
    description: str


class AlarmRules(BaseModel):
    """The rules that have a CloudWatch alarm."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rules: list[AlarmRule]


def cloudwatch_rule(rule: RuntimeRule) -> AlarmRule | None:
    """Return the CloudWatch alarm of one rule, or None for a rule only `ops check` evaluates."""
    if rule.cloudwatch is None:
        return None
    block = CloudWatchAlarm.model_validate(dict(rule.cloudwatch))
    return AlarmRule(
        id=rule.name.replace("_", "-"),
        metric=rule.metric,
        source=block.source,
        statistic=block.statistic,
        threshold=rule.threshold if block.threshold is None else block.threshold,
        period_seconds=block.period_seconds or rule.period_seconds,
        evaluation_periods=block.evaluation_periods or rule.evaluation_periods,
        description=block.description or rule.description,
    )


def load_rules(rules: Iterable[RuntimeRule] = ALARMS) -> AlarmRules:
    """Return the CloudWatch alarms of the rule file (validated; a bad block fails synthesis)."""
    return AlarmRules(rules=[r for r in map(cloudwatch_rule, rules) if r is not None])
