"""One factory from a `provider:model` string to a LangChain chat model."""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel

from agent.offline.model import OfflineAdvisorModel
from core.config import Settings
from core.errors import ValidationFailed

PROVIDERS = ("offline", "bedrock", "openai")


def make_chat_model(settings: Settings) -> BaseChatModel:
    """Build the chat model named by `settings.provider` (e.g. `bedrock:anthropic.claude-...`)."""
    provider, _, name = settings.provider.partition(":")
    if provider == "offline":
        return OfflineAdvisorModel()
    if provider == "bedrock":
        from langchain_aws import ChatBedrockConverse

        model: BaseChatModel = ChatBedrockConverse(
            model_id=name, region_name=settings.bedrock_region, temperature=0
        )
        return model
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
            model=name, base_url=settings.openai_base_url, api_key=key, temperature=0, timeout=30
        )
        return chat
    raise ValidationFailed(
        f"unknown provider {provider!r}; use one of {', '.join(PROVIDERS)} as provider:model",
        field="LOAN_ADVISOR_PROVIDER",
    )
