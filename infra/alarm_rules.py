"""The alarm rule file (`alarm_rules.yaml`), typed: what to alarm on, at which threshold."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

RULES_PATH = Path(__file__).with_name("alarm_rules.yaml")

Source = Literal[
    "api.5xx",
    "api.latency",
    "lambda.errors",
    "lambda.throttles",
    "sagemaker.model_latency",
    "sagemaker.errors",
    "dynamodb.throttles",
    "emf.GuardRejections",
]


class AlarmRule(BaseModel):
    """One alarm: a metric family, a statistic and a threshold it must stay under."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(..., pattern=r"^[a-z0-9-]+$")
    source: Source
    statistic: str
    threshold: float
    period_seconds: int = Field(60, ge=60)
    evaluation_periods: int = Field(1, ge=1)
    description: str


class AlarmRules(BaseModel):
    """The rule file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    rules: list[AlarmRule]


def load_rules(path: Path = RULES_PATH) -> AlarmRules:
    """Read and validate the rule file."""
    return AlarmRules.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
