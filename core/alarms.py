"""Alarm rules as code: one table read by `loan-advisor ops check` and the CDK alarms.

Each rule names a metric of `core.metrics.CATALOGUE` (or an AWS service metric for rules that
only exist in AWS), how to reduce it to one value, and the threshold. Locally `ops check`
evaluates the rules it can against a `/metrics` scrape (cumulative since the process started)
and the drift report; in AWS the infrastructure stack builds one CloudWatch alarm per rule from
`ALARMS` (`aws_metric` names the AWS-side metric where it differs from ours).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

PSI_WATCH = 0.1
PSI_ACT = 0.25

Reduce = Literal["ratio", "p95", "sum", "max"]


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
    aws_metric: str | None = None  # "Namespace/MetricName" when the AWS alarm uses another metric
    local: bool = True  # whether `ops check` can evaluate it from /metrics


ALARMS: tuple[AlarmRule, ...] = (
    AlarmRule("http_5xx_rate", "Share of HTTP responses that are 5xx", "http_requests_total",
              "ratio", 0.02, labels={"status": "5"}, denominator="http_requests_total"),
    AlarmRule("http_p95_latency", "p95 HTTP latency in seconds", "http_request_duration_seconds",
              "p95", 1.0),
    AlarmRule("chat_ttft_p95", "p95 chat time to first token in seconds",
              "chat_time_to_first_token_seconds", "p95", 3.0),
    AlarmRule("lambda_errors", "Lambda invocation errors per period", "lambda_errors", "sum",
              5.0, aws_metric="AWS/Lambda/Errors", local=False),
    AlarmRule("scorer_failures", "Credit-model scoring failures", "scorer_errors_total", "sum",
              0.0),
    AlarmRule("dynamodb_throttles", "Throttled record-store requests", "store_throttles_total",
              "sum", 0.0, aws_metric="AWS/DynamoDB/ThrottledRequests"),
    AlarmRule("llm_fallback_rate", "Share of chat turns answered by the offline fallback",
              "llm_fallbacks_total", "ratio", 0.1, denominator="chat_turns_total"),
    AlarmRule("drift_psi", "Worst feature PSI vs the training data (act level)", "drift_psi",
              "max", PSI_ACT - 1e-9, period_seconds=86_400, evaluation_periods=1),
)  # fmt: skip


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
