"""The chat stream through the real graph with a streaming scripted model (no network)."""

import asyncio
import json
from datetime import UTC, datetime

from langchain_core.messages import AIMessage
from langgraph.checkpoint.memory import InMemorySaver

from agent.advisor import system_prompts
from agent.context import GraphSettings
from agent.graph import build_graph
from agent.guardrails import numbers_in
from api.chat_events import stream_turn
from core.clock import FixedClock
from tests.fakes.chat_models import StreamingScriptedChatModel
from tools.context import RunContext
from tools.quote import quote_loan

GROUNDED = "Your payment would be $494.38 a month at 8.65% a year. Shall we apply?"


def _quote() -> AIMessage:
    args = {"product": "car", "amount": 20000, "tenure_months": 48}
    return AIMessage("", tool_calls=[{"name": "quote_loan", "args": args, "id": "c1"}])


def _turn(script: list[AIMessage], text: str = "car loan 20k over 4 years"):
    return _turn_with(StreamingScriptedChatModel, script, text)


def _turn_with(kind, script: list[AIMessage], text: str = "car loan 20k over 4 years", **settings):
    model = kind(script=script, seen=[])
    graph = build_graph(
        model=model,
        tools=[quote_loan],
        checkpointer=InMemorySaver(),
        clock=FixedClock(datetime(2026, 11, 25, tzinfo=UTC)),
        settings=GraphSettings(
            prompts=system_prompts(), versions={"provider": "scripted"}, **settings
        ),
    )

    async def collect():
        ctx = RunContext(user_id="usr_alice001", thread_id="t1")
        return [(e["event"], json.loads(e["data"])) async for e in stream_turn(graph, ctx, text)]

    return asyncio.run(collect()), model


def _shown(events) -> list[str]:
    return [d["text"] for e, d in events if e in ("token", "replace", "done")]


def test_a_grounded_reply_streams_in_pieces_and_ends_as_streamed():
    events, _ = _turn([_quote(), AIMessage(GROUNDED)])
    tokens = [d["text"] for e, d in events if e == "token"]
    assert len(tokens) > 5 and "".join(tokens) == GROUNDED
    assert [e for e, _ in events if e != "token"] == ["tool_start", "tool_end", "done"]
    assert events[-1][1]["text"] == GROUNDED


def test_an_invented_figure_never_streams_and_the_model_corrects_itself():
    invented = "Good news. Only $299.00 a month at 3.9% a year!"
    events, model = _turn([_quote(), AIMessage(invented), AIMessage(GROUNDED)])
    assert all("299" not in text and "3.9" not in text for text in _shown(events))
    assert ("replace", {"text": GROUNDED}) in events
    assert events[-1][0] == "done" and events[-1][1]["text"] == GROUNDED
    correction = str(model.seen[-1][-1].content)
    assert "299" in correction and "3.9" in correction  # the violation is named
    assert model.seen[-1][0].type == "system"  # the same system prompt as the draft's


def test_a_failed_correction_ends_in_the_templated_rendering_of_the_tool_result():
    events, _ = _turn([_quote(), AIMessage("Only $299 a month."), AIMessage("Say $298.")])
    replaced = [d["text"] for e, d in events if e == "replace"]
    assert len(replaced) == 1 and "$494.38" in replaced[0]
    for text in _shown(events):
        assert numbers_in(text) <= {"20000", "48", "8.65", "494.38", "3730.24", "4", "20"}


def test_the_done_event_carries_the_turns_token_use():
    class Counted(StreamingScriptedChatModel):
        def _stream(self, messages, stop=None, run_manager=None, **kwargs):
            from langchain_core.messages import AIMessageChunk
            from langchain_core.outputs import ChatGenerationChunk

            yield from super()._stream(messages, stop, run_manager, **kwargs)
            used = {"input_tokens": 100, "output_tokens": 7, "total_tokens": 107}
            yield ChatGenerationChunk(message=AIMessageChunk(content="", usage_metadata=used))

    events, _ = _turn_with(Counted, [_quote(), AIMessage(GROUNDED)])
    assert events[-1][1]["usage"] == {"llm_calls": 2, "input_tokens": 200, "output_tokens": 14}


def _screens(events) -> list[str]:
    """Return the reply text the web client shows after each event (tokens append)."""
    text, out = "", []
    for name, data in events:
        if name == "token":
            text += data["text"]
        elif name == "replace" or (name == "done" and data["text"]):
            text = data["text"]
        out.append(text)
    return out


def test_an_attempt_held_part_way_is_replaced_whole_by_the_next_one():
    # The draft's first clause passes and streams; its invented figure is held back; it
    # calls a tool, and the next call's reply must not be appended to the abandoned clause.
    draft = "Sure thing. Only $299.00 a month, let me check."
    events, _ = _turn([AIMessage(draft, tool_calls=_quote().tool_calls), AIMessage(GROUNDED)])
    screens, names = _screens(events), [e for e, _ in events]
    assert "Sure thing. Only " in screens  # the clauses before the figure were shown
    switch = names.index("replace")  # the next call's first text replaces them
    assert all(draft.startswith(s) and "299" not in s for s in screens[:switch])
    assert all(GROUNDED.startswith(s) for s in screens[switch:])
    assert names.count("replace") == 1 and screens[-1] == GROUNDED


def test_a_call_that_fails_mid_stream_is_replaced_by_the_retry_not_extended():
    class FailsOnce(StreamingScriptedChatModel):
        failed: list[bool] = []

        def _stream(self, messages, stop=None, run_manager=None, **kwargs):
            if self.failed or len(self.script) != 1:
                yield from super()._stream(messages, stop, run_manager, **kwargs)
                return
            self.failed.append(True)
            for piece in ("Your ", "payment ", "would "):
                if run_manager:
                    run_manager.on_llm_new_token(piece)
                yield _chunk(piece)
            raise ConnectionError("the provider dropped the stream")

    events, _ = _turn_with(FailsOnce, [_quote(), AIMessage(GROUNDED)])
    screens = _screens(events)
    assert "Your payment would " in screens  # the failed call's words were shown
    assert all(GROUNDED.startswith(s) for s in screens)  # and never extended by the retry
    assert [e for e, _ in events].count("replace") == 1
    assert screens[-1] == GROUNDED


def test_a_reply_after_a_passing_tool_preamble_still_streams_as_tokens():
    intro = AIMessage("Let me price that. ", tool_calls=_quote().tool_calls)
    events, _ = _turn([intro, AIMessage(GROUNDED)])
    assert "replace" not in [e for e, _ in events]
    assert _screens(events)[-2] == "Let me price that. " + GROUNDED
    assert events[-1][1]["text"] == GROUNDED


def _chunk(text: str):
    from langchain_core.messages import AIMessageChunk
    from langchain_core.outputs import ChatGenerationChunk

    return ChatGenerationChunk(message=AIMessageChunk(content=text))


def test_unsafe_wording_without_a_figure_is_held_and_the_model_told_why():
    unsafe = "Great news. You're guaranteed approval, so just don't mention your other debts."
    events, model = _turn([_quote(), AIMessage(unsafe), AIMessage(GROUNDED)])
    shown = " ".join(_shown(events)).lower()
    assert "guaranteed" not in shown and "mention" not in shown  # no word of either phrase
    assert ("replace", {"text": GROUNDED}) in events and events[-1][1]["text"] == GROUNDED
    correction = str(model.seen[-1][-1].content)
    assert "you're guaranteed" in correction.lower() and "mislead" in correction


def test_unsafe_wording_twice_ends_in_the_templated_reply():
    events, _ = _turn([_quote(), AIMessage("At your age, take it."), AIMessage("At your age!")])
    assert all("your age" not in text.lower() for text in _shown(events))
    replaced = [d["text"] for e, d in events if e == "replace"]
    assert len(replaced) == 1 and "$494.38" in replaced[0]


def test_a_tool_chip_never_carries_an_argument_the_tool_did_not_accept():
    invented = {"product": "car", "amount": 20000, "tenure_months": 48, "monthly_payment": 199.99}
    calls = [
        {"name": "quote_loan", "args": invented, "id": "c1"},
        {
            "name": "quote_loan",
            "args": {"product": "car", "amount": -777, "tenure_months": 48},
            "id": "c2",
        },
    ]
    events, _ = _turn([AIMessage("", tool_calls=calls), AIMessage(GROUNDED)])
    starts = [d for e, d in events if e == "tool_start"]
    assert starts == [
        {"name": "quote_loan", "args": {"product": "car", "amount": 20000.0, "tenure_months": 48}},
        {"name": "quote_loan", "args": {}},  # rejected by the schema: the name alone
    ]
    raw = json.dumps(events)  # the whole stream, tool results included
    assert "199.99" not in raw and "777" not in raw


def test_a_call_past_its_deadline_mid_stream_is_replaced_by_the_offline_answer():
    class Rambles(StreamingScriptedChatModel):
        async def _astream(self, messages, stop=None, run_manager=None, **kwargs):
            if self.script:  # the tool call, then the reply that never ends
                for chunk in self._stream(messages, stop, run_manager, **kwargs):
                    yield chunk
                return
            for piece in ("Well, ", "let ", "me ", "think "):
                if run_manager:
                    await run_manager.on_llm_new_token(piece)
                yield _chunk(piece)
            await asyncio.sleep(30)

    events, _ = _turn_with(Rambles, [_quote()], model_deadline_seconds=0.5)
    screens = _screens(events)
    assert "Well, let me " in screens  # the cut-off call's words were shown
    final = events[-1][1]["text"]
    assert "$494.38" in final and screens[-1] == final  # the offline advisor answered
    switch = [e for e, _ in events].index("replace")
    assert all(final.startswith(s) for s in screens[switch:])  # replaced, never extended
