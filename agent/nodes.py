"""Graph nodes. Each is built by a small factory that receives its dependencies."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from langchain_core.language_models import LanguageModelInput
from langchain_core.messages import (
    AIMessage,
    AnyMessage,
    BaseMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from langchain_core.runnables import Runnable, RunnableConfig
from langgraph.runtime import Runtime
from langgraph.types import interrupt

from agent.context import GraphSettings
from agent.experiments import assign_variant
from agent.guardrails import (
    TurnRateLimiter,
    input_problem,
    neutralise_instructions,
)
from agent.records import fold_results, trailing_tool_messages
from agent.state import INPUT_PROBLEMS, AgentState, InputProblem
from core.redaction import redact
from tools.application import ThreadApplication
from tools.context import RunContext

log = logging.getLogger(__name__)
ChatRunnable = Runnable[LanguageModelInput, BaseMessage]


# A graph node: reads the state (and, as it declares, `runtime: Runtime[RunContext]` or the
# callbacks' `config`), returns the update.
Node = Callable[..., dict[str, Any]]


def make_guard_input(settings: GraphSettings, limiter: TurnRateLimiter | None) -> Node:
    """Build the input guard: length, rate limit and injection checks; assigns the A/B variant."""

    def guard_input(state: AgentState, runtime: Runtime[RunContext]) -> dict[str, Any]:
        ctx = runtime.context
        thread = ctx.thread_id
        variant = (
            state.get("prompt_variant")
            or ctx.variant
            or assign_variant(thread, settings.variants).name
        )
        last = state["messages"][-1]
        text = str(last.content) if isinstance(last, HumanMessage) else ""
        problem = _typed_problem(input_problem(text, settings.max_input_chars))
        if problem is None and limiter is not None and not limiter.allow(thread):
            problem = "rate_limited"
        notes = [f"input blocked: {problem}"] if problem else []
        if problem:
            log.info("input blocked", extra={"reason": problem, "text": redact(text[:200])})
        return {
            "prompt_variant": variant,
            "input_blocked": problem is not None,
            "input_problem": problem,
            "guardrail_notes": notes,
            "citations": [],
            "offers": [],
        }

    return guard_input


def _typed_problem(problem: str | None) -> InputProblem | None:
    """Return the guard's reason as the typed value the state keeps (None if it is none)."""
    for known in INPUT_PROBLEMS:
        if problem == known:
            return known
    return None if problem is None else "injection"  # an unknown refusal reads as the strictest


def _prepare(messages: list[AnyMessage]) -> list[AnyMessage]:
    """Defang instructions inside tool results: documents are data, not instructions."""
    out: list[AnyMessage] = []
    for message in messages:
        if isinstance(message, ToolMessage):
            message = message.model_copy(
                update={"content": neutralise_instructions(str(message.content))}
            )
        out.append(message)
    return out


class CallModel:
    """The node that asks the chat model for the next step (tool calls or a reply).

    `primary` already retries with backoff; if it still fails the turn falls back to the
    offline model, so the applicant gets an answer rather than an error. Callable both ways:
    `graph.invoke` uses `__call__`, `graph.astream` (the API) awaits `acall`, so a remote
    model's request never holds a worker thread and the offline model runs without one.
    """

    def __init__(
        self, primary: ChatRunnable, fallback: ChatRunnable, settings: GraphSettings
    ) -> None:
        self.primary = primary
        self.fallback = fallback
        self.settings = settings

    def _prepare(
        self, state: AgentState
    ) -> tuple[list[AnyMessage], dict[str, str], dict[str, Any] | None]:
        """Return the prompt messages and versions, or (_, versions, refusal) for blocked input."""
        settings = self.settings
        variant_name = state.get("prompt_variant") or "A"
        prompt = settings.prompts.get(variant_name) or next(iter(settings.prompts.values()))
        versions = {**settings.versions, "prompt": prompt.version, "variant": variant_name}
        if state.get("input_blocked"):
            problem = state.get("input_problem") or "injection"
            refusal = settings.blocked_replies.get(problem, settings.blocked_replies["injection"])
            return [], versions, {"messages": [AIMessage(content=refusal)], "versions": versions}
        head: list[AnyMessage] = [SystemMessage(prompt.text)]
        if state.get("summary"):
            head.append(
                SystemMessage(state["summary"], additional_kwargs={"facts": state.get("facts")})
            )
        return [*head, *_prepare(state["messages"])], versions, None

    def prompt(self, state: AgentState) -> list[AnyMessage]:
        """Return the messages this node sends the model for `state` (the output guard's too)."""
        return self._prepare(state)[0]

    @staticmethod
    def _failed(exc: Exception, versions: dict[str, str]) -> str:
        log.warning(
            "provider failed, using offline model", extra={"error": redact(repr(exc)[:300])}
        )
        versions["provider"] = f"{versions.get('provider', '?')} -> offline fallback"
        return f"provider failed ({type(exc).__name__}); offline model answered"

    @staticmethod
    def _update(
        state: AgentState, reply: BaseMessage, versions: dict[str, str], notes: list[str]
    ) -> dict[str, Any]:
        update: dict[str, Any] = {"messages": [reply], "versions": versions}
        if notes:
            update["guardrail_notes"] = [*state.get("guardrail_notes", []), *notes]
        return update

    def __call__(self, state: AgentState, config: RunnableConfig) -> dict[str, Any]:
        """Run the node synchronously."""
        messages, versions, refusal = self._prepare(state)
        if refusal is not None:
            return refusal
        notes: list[str] = []
        try:
            reply = self.primary.invoke(messages, config)
        except Exception as exc:  # noqa: BLE001 - any provider failure falls back
            notes.append(self._failed(exc, versions))
            reply = self.fallback.invoke(messages, config)
        return self._update(state, reply, versions, notes)

    async def acall(self, state: AgentState, config: RunnableConfig) -> dict[str, Any]:
        """Run the node on the event loop."""
        messages, versions, refusal = self._prepare(state)
        if refusal is not None:
            return refusal
        notes: list[str] = []
        try:
            async with asyncio.timeout(self.settings.model_deadline_seconds):
                reply = await self.primary.ainvoke(messages, config)
        except Exception as exc:  # noqa: BLE001 - any provider failure falls back
            notes.append(self._failed(exc, versions))
            reply = await self.fallback.ainvoke(messages, config)
        return self._update(state, reply, versions, notes)


def make_call_model(
    primary: ChatRunnable, fallback: ChatRunnable, settings: GraphSettings
) -> CallModel:
    """Build the node that asks the chat model for the next step (see `CallModel`)."""
    return CallModel(primary, fallback, settings)


def make_record_results() -> Node:
    """Build the node that folds tool results into the application, offers and citations."""

    def record_results(state: AgentState) -> dict[str, Any]:
        turn = fold_results(state.get("application"), trailing_tool_messages(state["messages"]))
        update: dict[str, Any] = {}
        if turn.changed:
            update["application"] = turn.application
        if turn.offers:
            update["offers"] = turn.offers
        if turn.citations:
            update["citations"] = turn.citations
        return update

    return record_results


def make_human_review() -> Node:
    """Build the node that pauses a referred application for a loan officer (an interrupt).

    Resume with `Command(resume={"application_id": ..., "outcome": ..., "note": ...,
    "reviewer": ..., "application": <snapshot>})`. The staff route resumes only a thread
    whose pending review names that application, and the snapshot it sends is read from
    the stored record, so the thread's view of the decision is the record's.
    """

    def human_review(state: AgentState) -> dict[str, Any]:
        application = state.get("application")
        verdict = interrupt(
            {
                "type": "human_review",
                "application_id": application.application_id if application else None,
            }
        )
        outcome = str(verdict.get("outcome", "declined"))
        note = str(verdict.get("note", ""))
        snapshot = verdict.get("application")
        update: dict[str, Any] = {}
        if isinstance(snapshot, dict):
            update["application"] = ThreadApplication.model_validate(snapshot)
        review = {"outcome": outcome, "note": note, "reviewer": verdict.get("reviewer")}
        text = (
            f"A loan officer reviewed application {verdict.get('application_id')}: "
            f"{outcome.replace('_', ' ')}. {note}"
        ).strip()
        return {**update, "review": review, "messages": [AIMessage(text)]}

    return human_review
