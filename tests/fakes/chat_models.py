"""Scripted chat models for graph tests: they say exactly what the test tells them to."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult

Step = AIMessage | Callable[[list[BaseMessage]], AIMessage]
"""One scripted reply: a message, or a function of the prompt (to quote tool results)."""


class ScriptedChatModel(BaseChatModel):
    """Return the scripted messages in order, one per call; records what it was shown.

    A step may be a function of the prompt messages, for a model that must read what the
    tools returned (figures a test cannot know in advance) before it replies.
    """

    script: list[Any]  # of Step: pydantic would validate a callable out of the union
    seen: list[list[BaseMessage]] = []

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> ScriptedChatModel:
        return self

    def next_reply(self, messages: list[BaseMessage]) -> AIMessage:
        """Record the prompt and return the next step's reply (the call fails past the end)."""
        self.seen.append(list(messages))
        step = self.script.pop(0)
        return step if isinstance(step, AIMessage) else step(list(messages))

    def _generate(self, messages: list[BaseMessage], stop=None, run_manager=None, **kwargs: Any):
        return ChatResult(generations=[ChatGeneration(message=self.next_reply(messages))])


class FakeBedrockChatModel(BaseChatModel):
    """Bedrock's stand-in for AWS-mode tests: a remote-looking model with the advisor's brain.

    It answers as the deterministic offline advisor would (tool calls included), but it is
    not an `OfflineAdvisorModel`, so the graph treats it as a remote provider: retries with
    backoff, the offline fallback, and the LLM cache the composition root attaches. `calls`
    counts the turns it answered (shared by the copies `bind_tools` makes).
    """

    inner: Any = None
    calls: list[int] = []

    def __init__(self, **kwargs: Any) -> None:
        from agent.offline.model import OfflineAdvisorModel

        kwargs.setdefault("inner", OfflineAdvisorModel())
        kwargs.setdefault("calls", [])
        super().__init__(**kwargs)

    @property
    def _llm_type(self) -> str:
        return "fake-bedrock-converse"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_id": "anthropic.fake-bedrock"}

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> Any:
        return self.model_copy(update={"inner": self.inner.bind_tools(tools, **kwargs)})

    def _generate(self, messages: list[BaseMessage], stop=None, run_manager=None, **kwargs: Any):
        self.calls.append(len(messages))
        return ChatResult(generations=[ChatGeneration(message=self.inner.respond(messages))])


class StreamingScriptedChatModel(ScriptedChatModel):
    """A scripted model that streams each reply a few characters at a time, as LLMs do.

    `seen` records every prompt (the output guard's correction request included); when the
    script runs out the call fails, as a provider error would.
    """

    piece: int = 4

    def _stream(self, messages: list[BaseMessage], stop=None, run_manager=None, **kwargs: Any):
        from langchain_core.messages import AIMessageChunk
        from langchain_core.outputs import ChatGenerationChunk

        reply = self.next_reply(messages)
        text = str(reply.content)
        pieces = [text[i : i + self.piece] for i in range(0, len(text), self.piece)] or [""]
        for i, piece in enumerate(pieces):
            last = i == len(pieces) - 1
            chunk = AIMessageChunk(
                content=piece,
                tool_call_chunks=[
                    {"name": c["name"], "args": json.dumps(c["args"]), "id": c["id"], "index": n}
                    for n, c in enumerate(reply.tool_calls)
                ]
                if last
                else [],
            )
            if run_manager:
                run_manager.on_llm_new_token(piece, chunk=ChatGenerationChunk(message=chunk))
            yield ChatGenerationChunk(message=chunk)
