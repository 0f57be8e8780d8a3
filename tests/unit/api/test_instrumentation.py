"""Request-path metrics: chat-model calls, tokens, cost and cache; scorer; store; via the API."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from langchain_core.caches import InMemoryCache
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from prometheus_client import generate_latest

from api.instrumentation import (
    TimedRepository,
    TimedScorer,
    estimated_cost,
    instrument_chat_model,
)
from core.metrics import MetricSpec, Recorder
from lending.schemas import ApplicantProfile, LoanRequest
from tests.fakes.scoring import FailingScorer, RuleScorer
from tests.unit.api.conftest import PROFILE, REQUEST, sign_up


class Capture:
    """A sink keeping every value, for assertions."""

    def __init__(self) -> None:
        self.values: list[tuple[str, float, dict[str, str]]] = []

    def add(self, spec: MetricSpec, value: float, labels: Any) -> None:
        self.values.append((spec.name, value, dict(labels)))

    def total(self, name: str, **labels: str) -> float:
        return sum(v for n, v, got in self.values if n == name and labels.items() <= got.items())


@pytest.fixture
def sink() -> Capture:
    return Capture()


def _reply(text: str) -> AIMessage:
    usage = {"input_tokens": 1200, "output_tokens": 300, "total_tokens": 1500}
    return AIMessage(content=text, usage_metadata=usage)


def test_chat_model_calls_tokens_cost_and_cache_hits_are_recorded(sink: Capture) -> None:
    model = GenericFakeChatModel(messages=iter([_reply("one"), _reply("two")]))
    model.cache = InMemoryCache()
    instrument_chat_model(model, Recorder([sink]), "bedrock", (0.0008, 0.004))
    assert model.invoke("hello").content == "one"
    assert model.invoke("hello").content == "one"  # the same prompt: answered by the cache
    assert sink.total("llm_cache_total", result="miss") == 1
    assert sink.total("llm_cache_total", result="hit") == 1
    # the cache hit made no provider call: one call, its tokens and cost, counted once
    assert sink.total("llm_calls_total", provider="bedrock") == 1
    assert sink.total("llm_tokens_total", direction="input") == 1200
    assert sink.total("llm_tokens_total", direction="output") == 300
    # 1,200 in at $0.80/M and 300 out at $4.00/M: $0.00096 + $0.0012
    assert sink.total("llm_cost_usd_total") == pytest.approx(0.00216)
    assert len([v for v in sink.values if v[0] == "llm_call_duration_seconds"]) == 1


def test_local_models_cost_nothing() -> None:
    prices = (0.15, 0.60)
    assert estimated_cost("offline:advisor-v1", prices, 10_000, 10_000) == 0.0
    assert estimated_cost("llamacpp:smollm2", prices, 10_000, 10_000) == 0.0
    assert estimated_cost("openai:gpt-4o-mini", prices, 1_000, 2_000) == pytest.approx(1.35)


def test_scorer_latency_and_failures_by_backend(sink: Capture) -> None:
    profile, request = ApplicantProfile(**PROFILE), LoanRequest(**REQUEST)
    TimedScorer(RuleScorer(), Recorder([sink]), "http").assess(profile, request)
    with pytest.raises(Exception):  # noqa: B017 - whatever the scorer raises passes through
        TimedScorer(FailingScorer(), Recorder([sink]), "http").assess(profile, request)
    assert len([v for v in sink.values if v[0] == "scorer_duration_seconds"]) == 2
    assert sink.total("scorer_errors_total", backend="http") == 1


class _Throttled:
    def get(self, key: str) -> str:
        raise ClientError(
            {"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow"}},
            "GetItem",
        )

    def list(self) -> list[str]:
        return ["a"]


def test_store_calls_are_timed_and_throttles_counted(sink: Capture) -> None:
    repo: Any = TimedRepository(_Throttled(), "offers", Recorder([sink]))
    assert repo.list() == ["a"]
    with pytest.raises(ClientError):
        repo.get("x")
    ops = [v[2]["operation"] for v in sink.values if v[0] == "store_duration_seconds"]
    assert ops == ["offers.list", "offers.get"]
    assert sink.total("store_throttles_total", operation="offers.get") == 1


def test_the_api_records_store_scorer_and_llm_metrics_on_a_real_request(client) -> None:
    alice = sign_up(client)
    thread = client.post("/v1/threads", json={}, headers=alice).json()["thread_id"]
    assert client.post(f"/v1/chat/{thread}", json={"message": "hi"}, headers=alice).is_success
    from tests.unit.api.conftest import application_body

    assert client.post("/v1/applications", json=application_body(), headers=alice).is_success
    text = generate_latest(client.app.state.metrics.registry).decode()
    assert 'store_duration_seconds_count{operation="threads.create"}' in text
    assert 'scorer_duration_seconds_count{backend="custom"} 1.0' in text
    assert 'llm_calls_total{provider="offline:advisor-v1"}' in text
