"""One factory from a `provider:model` string to a LangChain chat model, plus resilience.

`offline` is the default and needs nothing; `bedrock` uses langchain-aws's
ChatBedrockConverse; `openai` talks to any OpenAI-compatible server (vLLM, Ollama,
llama.cpp's server); `llamacpp` is `openai` aimed by default at the local llama.cpp server
`make run-llm` starts (`agent.local_llm`).
Remote models get retries with exponential backoff and jitter (tenacity, through
LangChain's `with_retry`); the graph falls back to the offline model after that.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from langchain_core.caches import BaseCache
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import BaseMessage
from langchain_core.runnables import Runnable

from agent.local_llm import LLAMACPP_BASE_URL
from agent.offline.model import OfflineAdvisorModel
from core.errors import ValidationFailed

PROVIDERS = ("offline", "bedrock", "openai", "llamacpp")
RETRY_ATTEMPTS = 3
BACKOFF = {"initial": 0.5, "max": 8.0, "exp_base": 2.0, "jitter": 0.5}
TIMEOUT_SECONDS = 30
CONNECT_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class ProviderOptions:
    """What a provider needs besides its `provider:model` name (the edge fills it in)."""

    provider: str = "offline:advisor-v1"
    timeout_seconds: float = TIMEOUT_SECONDS
    max_tokens: int = 1024
    temperature: float = 0.0
    openai_base_url: str | None = None
    openai_api_key: str | None = None
    bedrock_region: str = "us-east-1"
    bedrock_endpoint_url: str | None = None
    bedrock_client: Any = None  # a prebuilt bedrock-runtime client (tests pass a stubbed one)
    bedrock_guardrail_id: str | None = None
    bedrock_guardrail_version: str = "DRAFT"


def bedrock_client(options: ProviderOptions) -> Any:
    """Return the bedrock-runtime client: each call bounded by the timeout, no own retries.

    One retry policy governs remote models (`resilient`, below), so botocore's are off; the
    read timeout bounds a stuck Converse call, which then fails over to the offline model.
    """
    if options.bedrock_client is not None:
        return options.bedrock_client
    import boto3
    from botocore.config import Config

    config = Config(
        read_timeout=options.timeout_seconds,
        connect_timeout=min(options.timeout_seconds, CONNECT_TIMEOUT_SECONDS),
        retries={"total_max_attempts": 1, "mode": "standard"},
    )
    return boto3.client(
        "bedrock-runtime",
        region_name=options.bedrock_region,
        endpoint_url=options.bedrock_endpoint_url,
        config=config,
    )


def guardrail_config(options: ProviderOptions) -> dict[str, str] | None:
    """Return Converse's `guardrailConfig` when a Bedrock guardrail is configured."""
    if not options.bedrock_guardrail_id:
        return None
    return {
        "guardrailIdentifier": options.bedrock_guardrail_id,
        "guardrailVersion": options.bedrock_guardrail_version,
        "trace": "enabled",
    }


def make_chat_model(options: ProviderOptions, cache: BaseCache | None = None) -> BaseChatModel:
    """Build the chat model named by `options.provider` (e.g. `bedrock:anthropic.claude-...`)."""
    provider, _, name = options.provider.partition(":")
    if provider == "offline":
        return OfflineAdvisorModel()
    model = _remote(provider, name, options)
    if cache is not None:
        model.cache = cache
    return model


def _remote(provider: str, name: str, options: ProviderOptions) -> BaseChatModel:
    if provider == "bedrock":
        from langchain_aws import ChatBedrockConverse

        bedrock: BaseChatModel = ChatBedrockConverse(
            model_id=name,
            region_name=options.bedrock_region,
            client=bedrock_client(options),
            temperature=options.temperature,
            max_tokens=options.max_tokens,
            guardrail_config=guardrail_config(options),
        )
        return bedrock
    if provider in ("openai", "llamacpp"):
        try:
            from langchain_openai import ChatOpenAI
        except ImportError as exc:  # optional extra
            raise ValidationFailed(
                f"provider {provider!r} needs the local-llm extra: pip install '.[local-llm]'",
                field="provider",
            ) from exc
        default_url = LLAMACPP_BASE_URL if provider == "llamacpp" else None
        chat: BaseChatModel = ChatOpenAI(
            model=name or "smollm2",
            base_url=options.openai_base_url or default_url,
            api_key=options.openai_api_key or "none",
            temperature=options.temperature,
            max_tokens=options.max_tokens,
            timeout=options.timeout_seconds,
            max_retries=0,  # we retry ourselves, with backoff, then fall back
            stream_usage=True,  # token use per turn, streamed or not
            extra_body=_legacy_length_cap(provider, options),
        )
        return chat
    raise ValidationFailed(
        f"unknown provider {provider!r}; use one of {', '.join(PROVIDERS)} as provider:model",
        field="LOAN_ADVISOR_PROVIDER",
    )


def _legacy_length_cap(provider: str, options: ProviderOptions) -> dict[str, Any] | None:
    """Return the reply-length cap under its older name for a self-hosted server.

    ChatOpenAI sends the cap as `max_completion_tokens`, which llama-cpp-python's server
    ignores: SmolLM2 then wrote 7,060 tokens (16 minutes) for one turn. OpenAI itself takes
    the new name, so only a local server or an explicit base URL gets `max_tokens` too.
    """
    if provider == "llamacpp" or options.openai_base_url:
        return {"max_tokens": options.max_tokens}
    return None


def resilient(
    bound: Runnable[LanguageModelInput, Any], *, is_offline: bool
) -> Runnable[LanguageModelInput, BaseMessage]:
    """Wrap a tool-bound remote model with retries and exponential backoff with jitter.

    The offline model is deterministic and local, so retrying it would only repeat a bug.
    """
    if is_offline:
        return bound
    retried: Runnable[LanguageModelInput, BaseMessage] = bound.with_retry(
        stop_after_attempt=RETRY_ATTEMPTS,
        wait_exponential_jitter=True,
        exponential_jitter_params=BACKOFF,  # type: ignore[arg-type]
    )
    return retried
