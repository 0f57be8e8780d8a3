"""The HTTP service's metrics: a `core.metrics.Recorder` per app (tests build many apps).

Middleware and routes record through the one recording API; `/metrics` serves the Prometheus
sink's registry, and in AWS mode the same calls also print CloudWatch EMF lines.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from prometheus_client import CollectorRegistry

from core.metrics import PrometheusSink, Recorder, build_recorder


@dataclass(frozen=True)
class _LabelledCounter:
    """`counter.labels(v).inc()` over the recorder, for callers written against prometheus."""

    recorder: Recorder
    name: str
    label: str
    value: str = ""

    def labels(self, value: str) -> _LabelledCounter:
        """Return the counter bound to one label value."""
        return replace(self, value=value)

    def inc(self, amount: float = 1.0) -> None:
        """Add to the counter."""
        self.recorder.count(self.name, amount, **{self.label: self.value})


class HttpMetrics:
    """Request counts and latencies by route template (never by raw path: ids would explode it)."""

    def __init__(self, mode: str = "local", recorder: Recorder | None = None) -> None:
        self.recorder = recorder or build_recorder(mode)
        sink = self.recorder.prometheus or PrometheusSink()
        self.registry: CollectorRegistry = sink.registry
        self.rate_limited = _LabelledCounter(self.recorder, "rate_limited_total", "scope")

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        """Record one finished request."""
        self.recorder.count("http_requests_total", method=method, route=route, status=str(status))
        self.recorder.observe("http_request_duration_seconds", seconds, method=method, route=route)

    def application_submitted(self, channel: str, outcome: str) -> None:
        """Count one newly created application (`channel`: form or chat)."""
        self.recorder.count("applications_submitted_total", channel=channel, outcome=outcome)
