"""The offline advisor: a LangChain chat model that understands by rules and speaks by template.

It is the default brain because no trustworthy LLM runs offline here: it emits
real tool calls, so the graph, guardrails and streaming run exactly as they do
with Bedrock, and every number it says is copied from a tool result.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    HumanMessage,
    ToolMessage,
)
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool

from agent.offline.parser import LoanSlots, parse_slots
from prompts.loader import load_yaml_prompt

PRODUCT_LABELS = {
    "car": "car loan",
    "home": "home loan",
    "gold": "gold loan",
    "education": "education loan",
    "personal": "personal loan",
    "medical": "medical loan",
}


def _money(value: Any) -> str:
    return f"{float(value):,.2f}"


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
        """Remember which tools exist; the rules only call tools that were bound."""
        names = [convert_to_openai_tool(t)["function"]["name"] for t in tools]
        return self.model_copy(update={"tool_names": names})

    # -- understanding -------------------------------------------------
    def _slots(self, messages: list[BaseMessage]) -> LoanSlots:
        slots = LoanSlots()
        for message in messages:
            if isinstance(message, HumanMessage):
                slots = slots.merge(parse_slots(str(message.content)))
        return slots

    def _respond(self, messages: list[BaseMessage]) -> AIMessage:
        templates, _ = load_yaml_prompt("offline_replies", self.templates_version)
        last = messages[-1] if messages else None
        if isinstance(last, ToolMessage):
            return AIMessage(content=self._phrase_tool_result(last, templates))
        slots = self._slots(messages)
        if slots.product is None and slots.amount is None and slots.tenure_months is None:
            return AIMessage(content=templates["greeting"])
        missing = slots.missing()
        if missing:
            example = 'For example: "$20,000 over 4 years".'
            return AIMessage(
                content=templates["ask_missing"].format(
                    missing=" and ".join(missing), example=example
                )
            )
        if "make_offer" not in self.tool_names:
            return AIMessage(content=templates["greeting"])
        call_id = f"call_{len(messages)}"
        return AIMessage(
            content="",
            tool_calls=[
                {
                    "name": "make_offer",
                    "args": {
                        "product": slots.product,
                        "amount": slots.amount,
                        "tenure_months": slots.tenure_months,
                    },
                    "id": call_id,
                    "type": "tool_call",
                }
            ],
        )

    def _phrase_tool_result(self, message: ToolMessage, templates: dict[str, str]) -> str:
        try:
            result = json.loads(str(message.content))
        except json.JSONDecodeError:
            return templates["tool_error"].format(error=str(message.content))
        if message.status == "error" or "error" in result:
            return templates["tool_error"].format(error=result.get("error", "unknown error"))
        return templates["offer"].format(
            label=PRODUCT_LABELS.get(result["product"], result["product"]),
            amount=_money(result["amount"]),
            tenure_months=result["tenure_months"],
            annual_rate_pct=result["annual_rate_pct"],
            monthly_payment=_money(result["monthly_payment"]),
            total_interest=_money(result["total_interest"]),
            policy_version=result["policy_version"],
        )

    # -- LangChain interface -------------------------------------------
    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self._respond(messages))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        reply = self._respond(messages)
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
        words = str(reply.content).split(" ")
        for i, word in enumerate(words):
            token = word if i == len(words) - 1 else word + " "
            chunk = ChatGenerationChunk(message=AIMessageChunk(content=token))
            if run_manager:
                run_manager.on_llm_new_token(token, chunk=chunk)
            yield chunk
