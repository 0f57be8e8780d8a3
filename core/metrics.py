"""One recording API for every technical metric, with a Prometheus and a CloudWatch EMF sink.

Instrumented code calls `Recorder.count` / `Recorder.observe` with a catalogue name; which sink
receives it is chosen once by the composition root (`build_recorder(mode)`): locally the
Prometheus registry behind `/metrics`, in AWS mode also CloudWatch Embedded Metric Format lines
on stdout through aws-lambda-powertools (Lambda ships stdout to CloudWatch Logs, which turns EMF
lines into metrics with no API call on the request path). The catalogue is the one place a metric
name, its labels and its unit are declared, so the alarms (`core.alarms`) and dashboards refer to
names that exist.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from prometheus_client import CollectorRegistry, Counter, Histogram

Kind = Literal["counter", "histogram"]
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)


@dataclass(frozen=True)
class MetricSpec:
    """A declared metric: Prometheus name, kind, label names, EMF unit, help text."""

    name: str
    kind: Kind
    help: str
    labels: tuple[str, ...] = ()
    unit: str = "Count"  # CloudWatch unit: Count | Seconds | None


def _c(name: str, help_: str, *labels: str) -> MetricSpec:
    return MetricSpec(name, "counter", help_, labels)


def _h(name: str, help_: str, *labels: str, unit: str = "Seconds") -> MetricSpec:
    return MetricSpec(name, "histogram", help_, labels, unit)


CATALOGUE: dict[str, MetricSpec] = {
    s.name: s
    for s in (
        _c(
            "http_requests_total",
            "HTTP requests by method, route and status",
            "method",
            "route",
            "status",
        ),  # fmt: skip
        _h("http_request_duration_seconds", "HTTP request latency", "method", "route"),
        _c(
            "applications_submitted_total", "Applications created, by outcome", "channel", "outcome"
        ),  # fmt: skip
        _c("rate_limited_total", "Requests refused by a rate limit", "scope"),
        _h("chat_turn_duration_seconds", "Chat turn latency, request to done", "provider"),
        _h("chat_time_to_first_token_seconds", "Chat turn time to the first token", "provider"),
        _c("chat_turns_total", "Chat turns by result (done, error)", "result"),
        _c("llm_calls_total", "Chat-model calls by provider", "provider"),
        _h("llm_call_duration_seconds", "Chat-model call latency", "provider"),
        _c(
            "llm_tokens_total", "Tokens used by direction (input, output)", "provider", "direction"
        ),  # fmt: skip
        _c("llm_cost_usd_total", "Estimated chat-model cost in US dollars", "provider"),
        _c("llm_cache_total", "Response-cache lookups by result (hit, miss)", "result"),
        _c("llm_fallbacks_total", "Turns answered by the offline fallback model", "provider"),
        _c("guard_rejections_total", "Replies or inputs refused by a guardrail", "guard"),
        _h("scorer_duration_seconds", "Credit-model scoring latency", "backend"),
        _c("scorer_errors_total", "Credit-model scoring failures", "backend"),
        _h("store_duration_seconds", "Record-store operation latency", "operation"),
        _c("store_throttles_total", "Record-store throttled requests", "operation"),
        _c("funnel_steps_total", "Application funnel step events", "channel", "step"),
        _c("feedback_total", "Ratings and thumbs received", "kind", "value"),
        _c(
            "feedback_review_items_opened_total",
            "Feedback review items opened for staff",
            "source",
        ),  # fmt: skip
    )
}


class MetricSink(Protocol):
    """A destination of recorded values (Prometheus registry, EMF stdout, a test list)."""

    def add(self, spec: MetricSpec, value: float, labels: Mapping[str, str]) -> None:
        """Record one value of `spec` with its label values."""
        ...


class PrometheusSink:
    """Every catalogue metric in its own registry (tests build many apps, each with one)."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        self.collectors: dict[str, Any] = {}
        for spec in CATALOGUE.values():
            if spec.kind == "counter":
                self.collectors[spec.name] = Counter(
                    spec.name, spec.help, list(spec.labels), registry=self.registry
                )
            else:
                self.collectors[spec.name] = Histogram(
                    spec.name, spec.help, list(spec.labels), buckets=LATENCY_BUCKETS,
                    registry=self.registry,
                )  # fmt: skip

    def add(self, spec: MetricSpec, value: float, labels: Mapping[str, str]) -> None:
        """Increment the counter or observe the histogram."""
        child = self.collectors[spec.name]
        if labels:
            child = child.labels(**labels)
        if spec.kind == "counter":
            child.inc(value)
        else:
            child.observe(value)


class EmfSink:
    """CloudWatch EMF lines through aws-lambda-powertools (imported only in AWS mode).

    Each value is flushed as its own EMF document with its labels as dimensions
    (`single_metric`), because labels differ per metric and powertools' shared `Metrics`
    object applies one dimension set to everything it flushes.
    """

    def __init__(self, namespace: str = "LoanAdvisor", service: str = "api") -> None:
        from aws_lambda_powertools.metrics import MetricUnit, single_metric

        self._single_metric = single_metric
        self._units = {"Count": MetricUnit.Count, "Seconds": MetricUnit.Seconds}
        self.namespace = namespace
        self.service = service

    def add(self, spec: MetricSpec, value: float, labels: Mapping[str, str]) -> None:
        """Print one EMF document (the Lambda runtime ships stdout to CloudWatch Logs)."""
        with self._single_metric(
            name=spec.name,
            unit=self._units.get(spec.unit, self._units["Count"]),
            value=value,
            namespace=self.namespace,
            default_dimensions={"service": self.service, **labels},
        ):
            pass


class Recorder:
    """The recording API instrumented code calls; fans each value out to the sinks."""

    def __init__(self, sinks: list[MetricSink]) -> None:
        self.sinks = sinks

    # name and amount are positional-only so any label name (even "value") can be passed
    def count(self, name: str, amount: float = 1.0, /, **labels: str) -> None:
        """Add `amount` to the counter `name`."""
        self._add(name, "counter", amount, labels)

    def observe(self, name: str, value: float, /, **labels: str) -> None:
        """Record one observation (seconds for latencies) of the histogram `name`."""
        self._add(name, "histogram", value, labels)

    @contextmanager
    def timer(self, name: str, /, **labels: str) -> Iterator[None]:
        """Observe the block's wall time in seconds (also when it raises)."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.observe(name, time.perf_counter() - start, **labels)

    def _add(self, name: str, kind: Kind, value: float, labels: dict[str, str]) -> None:
        spec = CATALOGUE.get(name)
        if spec is None or spec.kind != kind:
            raise KeyError(f"{name!r} is not a {kind} in core.metrics.CATALOGUE")
        if set(labels) != set(spec.labels):
            raise KeyError(f"{name!r} takes labels {spec.labels}, got {tuple(labels)}")
        for sink in self.sinks:
            sink.add(spec, value, labels)

    @property
    def prometheus(self) -> PrometheusSink | None:
        """The Prometheus sink, if any (what `/metrics` serves)."""
        return next((s for s in self.sinks if isinstance(s, PrometheusSink)), None)


def build_recorder(mode: str, *, namespace: str = "LoanAdvisor", service: str = "api") -> Recorder:
    """Return the recorder for a mode: Prometheus always, plus EMF when `mode == "aws"`."""
    sinks: list[MetricSink] = [PrometheusSink()]
    if mode == "aws":
        sinks.append(EmfSink(namespace, service))
    return Recorder(sinks)
