"""One factory from a `provider:model` string to a LangChain chat model, plus resilience.

`offline` is the default and needs nothing; `bedrock` uses langchain-aws's
ChatBedrockConverse; `openai` talks to any OpenAI-compatible server (vLLM, Ollama,
llama.cpp's server); `llamacpp` runs a local GGUF file in-process (optional extra).
Remote models get retries with exponential backoff and jitter (tenacity, through
LangChain's `with_retry`); the graph falls back to the offline model after that.
"""

from __future__ import annotations

from typing import Any

from langchain_core.caches import BaseCache
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import BaseMessage
from langchain_core.runnables import Runnable

from agent.offline.model import OfflineAdvisorModel
from core.config import Settings
from core.errors import ValidationFailed

PROVIDERS = ("offline", "bedrock", "openai", "llamacpp")
RETRY_ATTEMPTS = 3
BACKOFF = {"initial": 0.5, "max": 8.0, "exp_base": 2.0, "jitter": 0.5}
TIMEOUT_SECONDS = 30


def make_chat_model(settings: Settings, cache: BaseCache | None = None) -> BaseChatModel:
    """Build the chat model named by `settings.provider` (e.g. `bedrock:anthropic.claude-...`)."""
    provider, _, name = settings.provider.partition(":")
    if provider == "offline":
        return OfflineAdvisorModel()
    model = _remote(provider, name, settings)
    if cache is not None:
        model.cache = cache
    return model


def _remote(provider: str, name: str, settings: Settings) -> BaseChatModel:
    if provider == "bedrock":
        from langchain_aws import ChatBedrockConverse

        bedrock: BaseChatModel = ChatBedrockConverse(
            model_id=name, region_name=settings.bedrock_region, temperature=0
        )
        return bedrock
    if provider == "openai":
        try:
            from langchain_openai import ChatOpenAI
        except ImportError as exc:  # optional extra
            raise ValidationFailed(
                "provider 'openai' needs the local-llm extra: pip install '.[local-llm]'",
                field="provider",
            ) from exc
        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else "none"
        chat: BaseChatModel = ChatOpenAI(
            model=name,
            base_url=settings.openai_base_url,
            api_key=key,
            temperature=0,
            timeout=TIMEOUT_SECONDS,
            max_retries=0,  # we retry ourselves, with backoff, then fall back
        )
        return chat
    if provider == "llamacpp":  # llamacpp:/path/model.gguf, or llamacpp: for packaged SmolLM2
        from agent.llamacpp import LlamaCppChatModel, load_llama

        local: BaseChatModel = LlamaCppChatModel(
            llama=load_llama(name), model_name=name or "smollm2"
        )
        return local
    raise ValidationFailed(
        f"unknown provider {provider!r}; use one of {', '.join(PROVIDERS)} as provider:model",
        field="LOAN_ADVISOR_PROVIDER",
    )


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
