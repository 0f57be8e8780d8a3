"""The output guard node: a draft with unsupported figures or out-of-policy terms never ends a turn.

A failing draft from a remote model gets one correction: the model sees its draft and the
violation, named, and writes the reply again. If the correction still fails (or the model
errors), the applicant gets a templated rendering of this turn's tool results: the offline
reply templates copy every figure from the tools, so it passes the same check. The offline
model's drafts are replaced by the offline model itself, as before, since it cannot take a
correction. Passing replies that present offers get the verification disclaimer.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from langchain_core.messages import (
    AIMessage,
    AnyMessage,
    BaseMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from langchain_core.runnables import RunnableConfig

from agent.context import GraphSettings
from agent.guardrails import ReplyCheck, check_text, thread_grounding
from agent.offline.phrasing import phrase_tool_result
from agent.state import AgentState
from core.redaction import redact
from prompts.loader import load_prompt, load_yaml_prompt

log = logging.getLogger(__name__)
DISCLAIMER = "Offers are subject to verification of the information you provided."
DISCLAIMER_MARK = "subject to verification"
_OFFER_TERMS = re.compile(r"\bAPR\b")  # a reply presenting offers (a quote has no APR)
SAFE_REPLY = (
    "I couldn't verify the figures for that reply, so I won't guess. Could you rephrase, or "
    "ask me to show your offers again?"
)
_DONE_MARKS = ("replaced", "corrected")  # a turn's reply is corrected at most once


def turn_tool_results(messages: list[AnyMessage]) -> list[ToolMessage]:
    """Return the tool results since the applicant's latest message (this turn's)."""
    out: list[ToolMessage] = []
    for message in reversed(messages):
        if isinstance(message, HumanMessage):
            break
        if isinstance(message, ToolMessage):
            out.append(message)
    return list(reversed(out))


def templated_reply(messages: list[AnyMessage], templates_version: int | None = None) -> str:
    """Render this turn's tool results with the offline reply templates (or the safe reply)."""
    results = turn_tool_results(messages)
    if not results:
        return SAFE_REPLY
    templates, _ = load_yaml_prompt("offline_replies", templates_version)
    return "\n".join(phrase_tool_result(m, templates) for m in results)


def correction_prompt(prompt: list[AnyMessage], check: ReplyCheck) -> list[AnyMessage]:
    """Return the model's prompt plus its held-back draft and the violation, named."""
    text, _ = load_prompt("correction")
    return [*prompt, HumanMessage(text.format(violation=check.violation()))]


class CheckReply:
    """The graph's output guard (see the module doc); sync for `invoke`, async for `astream`.

    `model` is the tool-bound remote model without retries (None for the offline model):
    a correction is a second chance, not worth another backoff. `prompt_of` returns the
    messages `call_model` sent for this state (system prompt, summary, thread).
    """

    def __init__(
        self,
        model: Any,
        fallback: Any,
        settings: GraphSettings,
        prompt_of: Callable[[AgentState], list[AnyMessage]],
    ) -> None:
        self.model = model
        self.fallback = fallback
        self.settings = settings
        self.prompt_of = prompt_of

    def _check(self, state: AgentState, text: str) -> ReplyCheck:
        history = state["messages"][:-1]
        app = state.get("application")
        grounded, product = thread_grounding(
            history, state.get("facts"), app.product if app else None
        )
        return check_text(text, grounded, self.settings.policy, product)

    def _first_look(self, state: AgentState) -> tuple[dict[str, Any] | None, ReplyCheck | None]:
        """Return (the update, None) when the draft needs no correction, else (None, check)."""
        draft = state["messages"][-1]
        notes = list(state.get("guardrail_notes", []))
        if not isinstance(draft, AIMessage) or draft.tool_calls or state.get("input_blocked"):
            return {"guardrail_notes": notes}, None
        check = self._check(state, str(draft.content))
        if check.ok:
            return _with_disclaimer(draft, notes), None
        return None, check

    def _wants_correction(self, state: AgentState) -> bool:
        notes = state.get("guardrail_notes", [])
        return self.model is not None and not any(n.startswith(_DONE_MARKS) for n in notes)

    def _settle(
        self, state: AgentState, check: ReplyCheck, corrected: BaseMessage | None
    ) -> dict[str, Any]:
        """Keep a correction that passes (or calls a tool); otherwise answer from templates."""
        draft = state["messages"][-1]
        notes = list(state.get("guardrail_notes", []))
        if isinstance(corrected, AIMessage):
            kept = AIMessage(
                content=corrected.content,
                tool_calls=corrected.tool_calls,
                usage_metadata=corrected.usage_metadata,  # the correction's tokens count too
                id=draft.id,
            )
            note = f"corrected a reply: {check.reason()}"
            if corrected.tool_calls:
                return {"messages": [kept], "guardrail_notes": [*notes, note]}
            if self._check(state, str(corrected.content)).ok:
                update = _with_disclaimer(kept, [*notes, note])
                update.setdefault("messages", [kept])
                return update
        return self._replace(state, check, notes)

    def _replace(self, state: AgentState, check: ReplyCheck, notes: list[str]) -> dict[str, Any]:
        draft = state["messages"][-1]
        note = f"replaced a reply: {check.reason()}"
        if self.model is None and not any(n.startswith(_DONE_MARKS) for n in notes):
            history = state["messages"][:-1]
            offline = self.fallback.invoke([SystemMessage("guard"), *history])
            fixed = AIMessage(
                content=offline.content,
                tool_calls=getattr(offline, "tool_calls", []),
                additional_kwargs=offline.additional_kwargs,
                id=draft.id,
            )
            return {"messages": [fixed], "guardrail_notes": [*notes, note]}
        text = templated_reply(state["messages"][:-1])
        if not self._check(state, text).ok:
            text = SAFE_REPLY
        fixed = AIMessage(content=text, id=draft.id)
        return {"messages": [fixed], "guardrail_notes": [*notes, note]}

    def __call__(self, state: AgentState, config: RunnableConfig) -> dict[str, Any]:
        """Run the guard synchronously; a guard that fails withholds the draft (`_withheld`)."""
        try:
            return self._run(state, config)
        except Exception:  # noqa: BLE001 - fail closed: the unchecked draft never stays
            return _withheld(state)

    async def acall(self, state: AgentState, config: RunnableConfig) -> dict[str, Any]:
        """Run the guard on the event loop (the correction is an awaited model call)."""
        try:
            return await self._arun(state, config)
        except Exception:  # noqa: BLE001 - fail closed: the unchecked draft never stays
            return _withheld(state)

    def _run(self, state: AgentState, config: RunnableConfig) -> dict[str, Any]:
        update, check = self._first_look(state)
        if check is None:
            return update or {}
        corrected = None
        if self._wants_correction(state):
            try:
                prompt = correction_prompt(self.prompt_of(state), check)
                corrected = self.model.invoke(prompt, config)
            except Exception as exc:  # noqa: BLE001 - a failed correction falls to the template
                _log_failure(exc)
        return self._settle(state, check, corrected)

    async def _arun(self, state: AgentState, config: RunnableConfig) -> dict[str, Any]:
        update, check = self._first_look(state)
        if check is None:
            return update or {}
        corrected = None
        if self._wants_correction(state):
            try:
                prompt = correction_prompt(self.prompt_of(state), check)
                corrected = await self.model.ainvoke(prompt, config)
            except Exception as exc:  # noqa: BLE001 - a failed correction falls to the template
                _log_failure(exc)
        return self._settle(state, check, corrected)


def _withheld(state: AgentState) -> dict[str, Any]:
    """Return the update for a guard that raised: the safe reply in the draft's place.

    A failed guard used to fail the turn, and the run still saved the unchecked draft as the
    thread's last reply, so a reload showed what no check had passed (including a figure
    the stream guard had held back). The draft is replaced instead, and the turn ends.
    """
    log.exception("output guard failed; the draft was withheld")
    messages = state.get("messages") or []
    draft = messages[-1] if messages else None
    if not isinstance(draft, AIMessage) or draft.tool_calls:
        return {}  # no reply to withhold: a tool call runs next, or the input was refused
    note = "replaced a reply: the output guard failed"
    fixed = AIMessage(content=SAFE_REPLY, id=draft.id)
    return {"messages": [fixed], "guardrail_notes": [*state.get("guardrail_notes", []), note]}


def _with_disclaimer(reply: AIMessage, notes: list[str]) -> dict[str, Any]:
    """Return the update for a passing reply: with the disclaimer if it presents offers."""
    text = str(reply.content)
    if _OFFER_TERMS.search(text) and DISCLAIMER_MARK not in text:
        with_disclaimer = AIMessage(
            content=f"{text}\n{DISCLAIMER}",
            additional_kwargs=reply.additional_kwargs,  # keep the dialogue's markers
            id=reply.id,
        )
        return {"messages": [with_disclaimer], "guardrail_notes": [*notes, "disclaimer"]}
    return {"guardrail_notes": notes}


def _log_failure(exc: Exception) -> None:
    log.warning("reply correction failed", extra={"error": redact(repr(exc)[:300])})
