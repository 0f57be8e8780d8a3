"""Alarm rules: one file (`alarm_rules.yaml`) read by `loan-advisor ops check` and the CDK alarms.

Each rule names a metric of `core.metrics.CATALOGUE` (or an AWS service metric for rules that
only exist in AWS), how to reduce it to one value, and the threshold. Locally `ops check`
evaluates the rules it can against a `/metrics` scrape (cumulative since the process started)
and the drift report; in AWS the infrastructure (`infra/alarm_rules.py`) builds one CloudWatch
alarm per rule from its `cloudwatch` block, which this module keeps but does not interpret.
The rules are data in a YAML file rather than code so the CDK app can read them without the
runtime importing anything of the infrastructure's.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

import yaml

PSI_WATCH = 0.1
PSI_ACT = 0.25

Reduce = Literal["ratio", "p95", "sum", "max"]
RULES_PATH = Path(__file__).with_name("alarm_rules.yaml")


@dataclass(frozen=True)
class AlarmRule:
    """One alarm: fire when the reduced value is above `threshold`."""

    name: str
    description: str
    metric: str
    reduce: Reduce
    threshold: float
    labels: Mapping[str, str] = field(default_factory=dict)  # label prefix filter (numerator)
    denominator: str | None = None  # for ratio rules
    period_seconds: int = 300
    evaluation_periods: int = 2
    local: bool = True  # whether `ops check` can evaluate it from /metrics
    cloudwatch: Mapping[str, Any] | None = None  # the CloudWatch alarm; read by infra/ only


def load_alarms(path: Path = RULES_PATH) -> tuple[AlarmRule, ...]:
    """Read the rule file; an unknown field or reduction fails here, not when a rule fires."""
    rules = tuple(AlarmRule(**entry) for entry in yaml.safe_load(path.read_text("utf-8"))["rules"])
    for rule in rules:
        if rule.reduce not in get_args(Reduce):
            raise ValueError(f"alarm rule {rule.name}: unknown reduce {rule.reduce!r}")
    return rules


ALARMS: tuple[AlarmRule, ...] = load_alarms()


@dataclass(frozen=True)
class Sample:
    """One Prometheus sample: metric sample name, labels, value."""

    name: str
    labels: Mapping[str, str]
    value: float


@dataclass(frozen=True)
class AlarmState:
    """A rule's evaluated value and whether it fired (value None: no data)."""

    rule: str
    value: float | None
    threshold: float
    firing: bool


def _matches(labels: Mapping[str, str], want: Mapping[str, str]) -> bool:
    return all(labels.get(k, "").startswith(v) for k, v in want.items())


def _total(samples: Iterable[Sample], name: str, want: Mapping[str, str]) -> float:
    return sum(s.value for s in samples if s.name == name and _matches(s.labels, want))


def histogram_p95(samples: Iterable[Sample], metric: str) -> float | None:
    """Estimate p95 from cumulative `_bucket` samples summed over label sets (upper bound)."""
    buckets: dict[float, float] = {}
    for s in samples:
        if s.name == f"{metric}_bucket":
            le = float(s.labels["le"])
            buckets[le] = buckets.get(le, 0.0) + s.value
    if not buckets or buckets.get(math.inf, 0.0) == 0:
        return None
    total = buckets[math.inf]
    return next(le for le in sorted(buckets) if buckets[le] >= 0.95 * total)


def evaluate(rule: AlarmRule, samples: list[Sample], extra: Mapping[str, float]) -> AlarmState:
    """Reduce the samples (or an `extra` value such as drift_psi) for one rule."""
    value: float | None
    if rule.metric in extra:
        value = extra[rule.metric]
    elif rule.reduce == "ratio":
        den = _total(samples, rule.denominator or rule.metric, {})
        value = _total(samples, rule.metric, rule.labels) / den if den else None
    elif rule.reduce == "p95":
        value = histogram_p95(samples, rule.metric)
    else:
        found = [s for s in samples if s.name == rule.metric]
        value = _total(found, rule.metric, rule.labels) if found else None
    firing = value is not None and value > rule.threshold
    return AlarmState(rule.name, value, rule.threshold, firing)


def evaluate_all(samples: list[Sample], extra: Mapping[str, float]) -> list[AlarmState]:
    """Evaluate every rule `ops check` can see locally."""
    return [evaluate(r, samples, extra) for r in ALARMS if r.local]


def as_dicts() -> list[dict[str, Any]]:
    """The rules as plain dicts (what `ops alarms --json` prints for the infrastructure)."""
    return [{**asdict(r), "labels": dict(r.labels)} for r in ALARMS]
