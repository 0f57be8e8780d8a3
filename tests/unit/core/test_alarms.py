"""Alarm rules evaluated on known samples."""

from __future__ import annotations

import math

from core.alarms import ALARMS, Sample, as_dicts, evaluate_all, histogram_p95
from core.metrics import CATALOGUE


def _by_rule(samples, extra=None):
    return {s.rule: s for s in evaluate_all(samples, extra or {})}


def test_local_rules_name_catalogue_metrics() -> None:
    for rule in ALARMS:
        if rule.local and rule.metric != "drift_psi":
            assert rule.metric in CATALOGUE, rule.name
    assert {d["name"] for d in as_dicts()} >= {"http_5xx_rate", "drift_psi", "lambda_errors"}


def test_5xx_ratio_fires_above_two_percent() -> None:
    ok = [Sample("http_requests_total", {"status": "200"}, 99), Sample(
        "http_requests_total", {"status": "503"}, 1)]  # fmt: skip
    assert not _by_rule(ok)["http_5xx_rate"].firing
    bad = [*ok, Sample("http_requests_total", {"status": "500"}, 3)]
    state = _by_rule(bad)["http_5xx_rate"]
    assert state.firing and state.value == 4 / 103


def test_p95_from_buckets_and_no_data() -> None:
    name = "http_request_duration_seconds"
    samples = [Sample(f"{name}_bucket", {"le": le}, n)
               for le, n in (("0.1", 90), ("1.0", 94), ("2.5", 100), ("+Inf", 100))]  # fmt: skip
    assert histogram_p95(samples, name) == 2.5
    states = _by_rule(samples)
    assert states["http_p95_latency"].firing
    assert states["chat_ttft_p95"].value is None and not states["chat_ttft_p95"].firing
    assert histogram_p95([], name) is None and math.isinf(float("+Inf"))


def test_drift_and_fallbacks() -> None:
    samples = [Sample("chat_turns_total", {"result": "done"}, 10),
               Sample("llm_fallbacks_total", {"provider": "bedrock"}, 2)]  # fmt: skip
    states = _by_rule(samples, {"drift_psi": 0.3})
    assert states["llm_fallback_rate"].firing and states["llm_fallback_rate"].value == 0.2
    assert states["drift_psi"].firing
    assert not _by_rule(samples, {"drift_psi": 0.2})["drift_psi"].firing
    assert not states["scorer_failures"].firing  # no samples: no data, not firing
