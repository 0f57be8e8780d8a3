"""The offline advisor: a chat model that understands by rules and a classifier, speaks by template.

It is the default brain because no trustworthy LLM runs offline here: it emits
real tool calls, so the graph, guardrails and streaming run exactly as they do
with Bedrock, and every number it says is copied from a tool result or from the
applicant's own words.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool

from agent.offline.dialogue import Conversation, read_conversation
from agent.offline.handlers import ZERO_RATE, next_move, refusal_reply
from agent.offline.phrasing import phrase_tool_result, styled_templates
from agent.offline.policy import Move
from agent.offline.turn import pending_prompt
from prompts.loader import load_yaml_prompt

STREAM_PIECE_CHARS = 80
_WORDS = re.compile(r"\S+\s*|\s+")


class OfflineAdvisorModel(BaseChatModel):
    """Deterministic chat model: same conversation in, same tool calls and words out."""

    templates_version: int | None = None
    tool_names: list[str] = []

    @property
    def _llm_type(self) -> str:
        return "offline-advisor"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"templates_version": self.templates_version}

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | BaseTool | Any],
        *,
        tool_choice: str | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        """Remember which tools exist; the policy only calls tools that were bound."""
        names = [convert_to_openai_tool(t)["function"]["name"] for t in tools]
        return self.model_copy(update={"tool_names": names})

    def respond(self, messages: list[BaseMessage]) -> AIMessage:
        """Return the next message for this conversation (a reply or one tool call)."""
        templates, _ = load_yaml_prompt("offline_replies", self.templates_version)
        templates = styled_templates(templates, messages)  # the prompt arm's presentation style
        conv = read_conversation(messages)
        tools = set(self.tool_names)
        trailing = _trailing_tool_results(messages)
        if trailing:
            return self._after_tools(trailing, conv, tools, templates)
        return _to_message(next_move(conv, tools, templates), len(messages))

    def _after_tools(
        self,
        results: list[ToolMessage],
        conv: Conversation,
        tools: set[str],
        templates: dict[str, Any],
    ) -> AIMessage:
        text = "\n".join(phrase_tool_result(m, templates) for m in results)
        ok = {m.name for m in results if m.status != "error"}
        if "negotiate_offer" in ok:
            text = _negotiation_notes(text, conv, templates)
        move: Move | None = None
        if "quote_loan" in ok:
            question = conv.next_question()
            if question is not None:
                key, asked = question
                move = Move(text=str(templates["ask"][key]), asked=asked)
                text += "\n" + str(templates["quote_next"]).format(question=move.text)
        elif "search_policy" in ok and conv.rejected:
            # the rule a refused value broke, looked up so the reply can cite it
            passages = _passages(results)
            move = refusal_reply(conv, templates, passages)
            text = move.text
        elif "search_policy" in ok:
            # a question asked mid-application: answered, then back to what is pending
            move = pending_prompt(conv, templates)
            if move is not None:
                text += "\n" + str(templates["back_to"]).format(question=move.text)
        kwargs: dict[str, Any] = {}
        if move is not None and move.asked:
            kwargs["asked"] = move.asked
        if move is not None and move.awaiting:
            kwargs["awaiting"] = move.awaiting
        return AIMessage(content=text, additional_kwargs=kwargs)

    # -- LangChain interface -------------------------------------------
    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self.respond(messages))])

    def _chunks(self, messages: list[BaseMessage]) -> Iterator[ChatGenerationChunk]:
        """The reply as stream chunks: one for tool calls, else whole-word text pieces."""
        reply = self.respond(messages)
        if reply.tool_calls:
            yield ChatGenerationChunk(
                message=AIMessageChunk(
                    content="",
                    tool_call_chunks=[
                        {
                            "name": c["name"],
                            "args": json.dumps(c["args"]),
                            "id": c["id"],
                            "index": i,
                            "type": "tool_call_chunk",
                        }
                        for i, c in enumerate(reply.tool_calls)
                    ],
                )
            )
            return
        for i, token in enumerate(_pieces(str(reply.content))):
            extra = reply.additional_kwargs if i == 0 else {}
            yield ChatGenerationChunk(
                message=AIMessageChunk(content=token, additional_kwargs=extra)
            )

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        for chunk in self._chunks(messages):
            if run_manager and chunk.text:
                run_manager.on_llm_new_token(chunk.text, chunk=chunk)
            yield chunk

    # The model is local CPU work of about a millisecond, so the async API runs it inline:
    # LangChain's default would run each step in a worker thread, which costs more than that.
    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return self._generate(messages, stop)

    async def _astream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[ChatGenerationChunk]:
        for chunk in self._chunks(messages):
            if run_manager and chunk.text:
                await run_manager.on_llm_new_token(chunk.text, chunk=chunk)
            yield chunk


def _pieces(text: str, size: int = STREAM_PIECE_CHARS) -> list[str]:
    """Split a reply into whole-word pieces of about `size` characters; they join back exactly.

    The reply exists in full before streaming starts, so one event per word bought no
    earlier first word, only more events: each costs a callback, an SSE frame and a write.
    """
    pieces: list[str] = []
    current = ""
    for word in _WORDS.findall(text):
        current += word
        if len(current) >= size:
            pieces.append(current)
            current = ""
    if current:
        pieces.append(current)
    return pieces or [text]  # an empty reply is still one (empty) chunk


def _passages(results: list[ToolMessage]) -> list[dict[str, Any]]:
    for message in results:
        if message.name == "search_policy" and message.status != "error":
            try:
                data = json.loads(str(message.content))
            except json.JSONDecodeError:
                continue
            return list(data.get("passages", [])) if isinstance(data, dict) else []
    return []


def _negotiation_notes(text: str, conv: Conversation, t: dict[str, Any]) -> str:
    """Frame a counter-offer: say no to interest-free, and name the levers for rate asks."""
    if ZERO_RATE.search(conv.last_text) and "zero_rate" in t:
        text = f"{t['zero_rate']}\n{text}"
    if "rate_levers" in t and re.search(r"\brate|interest|%|percent|cheaper", conv.last_text):
        text += "\n" + str(t["rate_levers"])
    return text


def _trailing_tool_results(messages: list[BaseMessage]) -> list[ToolMessage]:
    """Return the tool results after the last model turn (the ones still to be phrased)."""
    out: list[ToolMessage] = []
    for message in reversed(messages):
        if not isinstance(message, ToolMessage):
            break
        out.append(message)
    return list(reversed(out))


def _to_message(move: Move, position: int) -> AIMessage:
    if move.tool is not None:
        return AIMessage(
            content="",
            tool_calls=[
                {
                    "name": move.tool,
                    "args": move.args,
                    "id": f"call_{position}_{move.tool}",
                    "type": "tool_call",
                }
            ],
        )
    kwargs: dict[str, Any] = {}
    if move.asked:
        kwargs["asked"] = move.asked
    if move.awaiting:
        kwargs["awaiting"] = move.awaiting
    return AIMessage(content=move.text, additional_kwargs=kwargs)
