"""Request-path metrics recorded where the clients are called, wrapped once by the composition root.

The agent's nodes, the tools and the application service stay unaware of metrics: the root
wraps the chat model (a LangChain callback handler: calls, latency, tokens, estimated cost),
its response cache (hits and misses), the credit scorer (latency, errors) and every repository
(latency per operation, DynamoDB throttles) before passing them down. Each wrapper records
through the one `core.metrics.Recorder`, so Prometheus and CloudWatch EMF see the same values.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import fields, replace
from typing import Any
from uuid import UUID

from langchain_core.caches import RETURN_VAL_TYPE, BaseCache
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.language_models import BaseChatModel
from langchain_core.outputs import LLMResult

from applications.ports import RiskScorer
from core.metrics import Recorder
from lending.schemas import ApplicantProfile, LoanRequest, RiskAssessment
from storage.repositories import Repositories

LOCAL_PROVIDERS = frozenset({"offline", "llamacpp"})
"""Providers that run on this machine: their tokens cost nothing."""

THROTTLE_CODES = frozenset(
    {"ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"}
)


def estimated_cost(
    provider: str, usd_per_1k: tuple[float, float], input_tokens: int, output_tokens: int
) -> float:
    """Return the cost in US dollars of one call's tokens at the configured prices.

    Prices come from settings (`LOAN_ADVISOR_LLM_USD_PER_1K_*_TOKENS`), so a bank prices its own
    contract; a local provider costs 0 whatever they say.
    """
    if provider.split(":")[0] in LOCAL_PROVIDERS:
        return 0.0
    return (input_tokens * usd_per_1k[0] + output_tokens * usd_per_1k[1]) / 1000


def _usage(result: LLMResult) -> tuple[int, int, bool]:
    """Return (input tokens, output tokens, answered from the cache) of a chat-model result.

    LangChain marks a cache hit by setting the replayed message's `usage_metadata.total_cost`
    to 0; its token counts are the original call's, which cost nothing this time.
    """
    tokens_in = tokens_out = 0
    cached = False
    for generation in (g for batch in result.generations for g in batch):
        usage = getattr(getattr(generation, "message", None), "usage_metadata", None) or {}
        tokens_in += int(usage.get("input_tokens", 0))
        tokens_out += int(usage.get("output_tokens", 0))
        cached = cached or usage.get("total_cost") == 0
    return tokens_in, tokens_out, cached


class LlmMetricsHandler(BaseCallbackHandler):
    """Counts chat-model calls, their latency, tokens and estimated cost (a callback handler).

    `run_inline`: its work is a few dictionary and counter updates, so the async graph calls
    it on the event loop; LangChain would otherwise hand every event of every model call, each
    streamed token included, to a worker thread (about 30 thread hops a chat turn).
    """

    run_inline = True

    def __init__(
        self, recorder: Recorder, provider: str, usd_per_1k: tuple[float, float] = (0.0, 0.0)
    ) -> None:
        self._rec = recorder
        self._provider = provider
        self._prices = usd_per_1k
        self._started: dict[UUID, float] = {}

    def on_chat_model_start(
        self, serialized: dict[str, Any], messages: list[list[Any]], *, run_id: UUID, **kw: Any
    ) -> None:
        """Note when the call started."""
        del serialized, messages, kw  # LangChain passes them; only the run id matters here
        self._started[run_id] = time.perf_counter()

    def on_llm_end(self, response: LLMResult, *, run_id: UUID, **kw: Any) -> None:
        """Record the finished call: count, latency, tokens by direction, cost (not cache hits)."""
        del kw
        started = self._started.pop(run_id, None)
        tokens_in, tokens_out, cached = _usage(response)
        if cached:  # no provider call was made: `llm_cache_total` counts it
            return
        p = self._provider
        self._rec.count("llm_calls_total", provider=p)
        if started is not None:
            self._rec.observe(
                "llm_call_duration_seconds", time.perf_counter() - started, provider=p
            )
        self._rec.count("llm_tokens_total", tokens_in, provider=p, direction="input")
        self._rec.count("llm_tokens_total", tokens_out, provider=p, direction="output")
        self._rec.count(
            "llm_cost_usd_total", estimated_cost(p, self._prices, tokens_in, tokens_out), provider=p
        )

    def on_llm_error(self, error: BaseException, *, run_id: UUID, **kw: Any) -> None:
        """Forget the failed call's start (failures are counted as fallbacks by the chat)."""
        del error, kw
        self._started.pop(run_id, None)


class MeteredCache(BaseCache):
    """The LLM response cache, counting each lookup as a hit or a miss."""

    def __init__(self, inner: BaseCache, recorder: Recorder) -> None:
        self.inner = inner
        self._rec = recorder

    def lookup(self, prompt: str, llm_string: str) -> RETURN_VAL_TYPE | None:
        """Look up and count the result."""
        found = self.inner.lookup(prompt, llm_string)
        self._rec.count("llm_cache_total", result="miss" if found is None else "hit")
        return found

    def update(self, prompt: str, llm_string: str, return_val: RETURN_VAL_TYPE) -> None:
        """Store a response."""
        self.inner.update(prompt, llm_string, return_val)

    def clear(self, **kwargs: Any) -> None:
        """Empty the cache."""
        self.inner.clear(**kwargs)


class TimedScorer:
    """A `RiskScorer` recording each assessment's latency, and its failures, by backend."""

    def __init__(self, inner: RiskScorer, recorder: Recorder, backend: str) -> None:
        self.inner = inner
        self._rec = recorder
        self._backend = backend

    def assess(self, profile: ApplicantProfile, request: LoanRequest) -> RiskAssessment:
        """Score through the wrapped scorer."""
        start = time.perf_counter()
        try:
            return self.inner.assess(profile, request)
        except Exception:
            self._rec.count("scorer_errors_total", backend=self._backend)
            raise
        finally:
            elapsed = time.perf_counter() - start
            self._rec.observe("scorer_duration_seconds", elapsed, backend=self._backend)


def _throttled(exc: Exception) -> bool:
    response = getattr(exc, "response", None)
    code = response.get("Error", {}).get("Code") if isinstance(response, dict) else None
    return code in THROTTLE_CODES


class TimedRepository:
    """Any repository, each public method timed as `store_duration_seconds{operation}`."""

    def __init__(self, inner: object, name: str, recorder: Recorder) -> None:
        self._inner = inner
        self._name = name
        self._rec = recorder

    def __getattr__(self, attr: str) -> Any:
        """Return the wrapped attribute; methods come back timed."""
        value = getattr(self._inner, attr)
        if attr.startswith("_") or not callable(value):
            return value
        return self._timed(value, f"{self._name}.{attr}")

    def _timed(self, method: Callable[..., Any], operation: str) -> Callable[..., Any]:
        rec = self._rec

        def call(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return method(*args, **kwargs)
            except Exception as exc:
                if _throttled(exc):
                    rec.count("store_throttles_total", operation=operation)
                raise
            finally:
                rec.observe(
                    "store_duration_seconds", time.perf_counter() - start, operation=operation
                )

        return call


REPOSITORY_FIELDS: Sequence[str] = tuple(
    f.name for f in fields(Repositories) if f.name not in ("ping", "close")
)


def timed_repositories(repos: Repositories, recorder: Recorder) -> Repositories:
    """Return the same repositories with every call timed (ping and close pass through)."""
    wrapped = {
        name: TimedRepository(getattr(repos, name), name, recorder) for name in REPOSITORY_FIELDS
    }
    return replace(repos, **wrapped)


def instrument_chat_model(
    model: BaseChatModel,
    recorder: Recorder,
    provider: str,
    usd_per_1k: tuple[float, float] = (0.0, 0.0),
) -> BaseChatModel:
    """Attach the metrics handler to `model` and count its cache lookups; return it.

    This handler is the one place chat-model calls, tokens and cost are counted (every call,
    the correction and summary calls included; cache hits excluded).
    """
    handlers = model.callbacks if isinstance(model.callbacks, list) else []
    model.callbacks = [*handlers, LlmMetricsHandler(recorder, provider, usd_per_1k)]
    if isinstance(model.cache, BaseCache) and not isinstance(model.cache, MeteredCache):
        model.cache = MeteredCache(model.cache, recorder)
    return model
