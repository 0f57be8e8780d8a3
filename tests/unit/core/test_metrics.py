"""The recording API: catalogue checks, the Prometheus sink and the EMF JSON it prints."""

from __future__ import annotations

import json

import pytest
from prometheus_client import generate_latest

from core.metrics import CATALOGUE, EmfSink, PrometheusSink, Recorder, build_recorder


def test_prometheus_sink_exposes_catalogue_names_and_labels() -> None:
    rec = build_recorder("local")
    rec.count("applications_submitted_total", channel="form", outcome="approved")
    rec.observe("chat_time_to_first_token_seconds", 0.2, provider="offline")
    assert rec.prometheus is not None
    text = generate_latest(rec.prometheus.registry).decode()
    assert 'applications_submitted_total{channel="form",outcome="approved"} 1.0' in text
    assert 'chat_time_to_first_token_seconds_count{provider="offline"} 1.0' in text
    assert len(rec.sinks) == 1  # no EMF outside AWS mode


def test_unknown_names_wrong_kind_and_wrong_labels_are_refused() -> None:
    rec = Recorder([PrometheusSink()])
    with pytest.raises(KeyError, match="not a counter"):
        rec.count("no_such_metric")
    with pytest.raises(KeyError, match="not a histogram"):
        rec.observe("http_requests_total", 1.0, method="GET", route="/", status="200")
    with pytest.raises(KeyError, match="takes labels"):
        rec.count("rate_limited_total", user="x")


def test_aws_mode_prints_one_emf_document_per_value(capsys: pytest.CaptureFixture[str]) -> None:
    rec = build_recorder("aws", namespace="LoanAdvisorTest", service="api")
    assert any(isinstance(s, EmfSink) for s in rec.sinks)
    rec.observe("scorer_duration_seconds", 0.042, backend="inprocess")
    rec.count("llm_fallbacks_total", provider="bedrock")
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.startswith("{")]
    assert len(lines) == 2
    first = lines[0]
    directive = first["_aws"]["CloudWatchMetrics"][0]
    assert directive["Namespace"] == "LoanAdvisorTest"
    assert directive["Metrics"] == [{"Name": "scorer_duration_seconds", "Unit": "Seconds"}]
    assert set(directive["Dimensions"][0]) == {"service", "backend"}
    assert first["scorer_duration_seconds"] == [0.042] or first["scorer_duration_seconds"] == 0.042
    assert first["backend"] == "inprocess" and first["service"] == "api"
    assert lines[1]["_aws"]["CloudWatchMetrics"][0]["Metrics"][0]["Unit"] == "Count"
    assert lines[1]["provider"] == "bedrock"


def test_timer_observes_even_when_the_block_raises() -> None:
    rec = build_recorder("local")
    with pytest.raises(RuntimeError), rec.timer("store_duration_seconds", operation="put"):
        raise RuntimeError("boom")
    assert rec.prometheus is not None
    text = generate_latest(rec.prometheus.registry).decode()
    assert 'store_duration_seconds_count{operation="put"} 1.0' in text


def test_every_catalogue_entry_is_well_formed() -> None:
    for name, spec in CATALOGUE.items():
        assert name == spec.name and spec.help
        assert spec.kind in ("counter", "histogram")
        assert (spec.unit == "Seconds") == (spec.kind == "histogram")
        assert spec.kind != "counter" or name.endswith("_total")
