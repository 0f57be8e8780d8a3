"""The output guard fails closed: a check that raises withholds the draft, never keeps it."""

import asyncio

import pytest

from agent import reply_check
from agent.reply_check import SAFE_REPLY
from tests.unit.agent.conftest import Chat


def _broken(*_args, **_kwargs):
    raise RuntimeError("the guard broke")


def test_a_guard_that_raises_leaves_the_safe_reply_not_the_unchecked_draft(chat, monkeypatch):
    monkeypatch.setattr(reply_check, "check_text", _broken)
    reply = chat.say("I want a car loan of $20,000 over 4 years")
    # The draft quoted the loan; no check passed it, so neither the turn nor the thread
    # (what a reload shows) may keep it.
    assert reply == SAFE_REPLY
    last = chat.state["messages"][-1]
    assert last.type == "ai" and "$494.38" not in str(last.content)
    assert chat.state["guardrail_notes"][-1] == "replaced a reply: the output guard failed"
    assert [m.name for m in chat.state["messages"] if m.type == "tool"] == ["quote_loan"]


def test_the_async_guard_fails_closed_too(advisor, monkeypatch):
    monkeypatch.setattr(reply_check, "check_text", _broken)
    chat = Chat(advisor, "t-async")

    async def turn():
        return await advisor.ainvoke(
            {"messages": [("user", "I want a car loan of $20,000 over 4 years")]},
            chat.config,
            context=chat.context,
        )

    state = asyncio.run(turn())
    assert state["messages"][-1].content == SAFE_REPLY


def test_a_passing_reply_is_untouched(chat):
    reply = chat.say("I want a car loan of $20,000 over 4 years")
    assert "$494.38" in reply and reply != SAFE_REPLY


@pytest.mark.parametrize("last", ["tool call", "none"])
def test_nothing_is_withheld_when_there_is_no_reply(last):
    from langchain_core.messages import AIMessage

    messages = [AIMessage("", tool_calls=[{"name": "quote_loan", "args": {}, "id": "c1"}])]
    state = {"messages": messages if last == "tool call" else []}
    assert reply_check._withheld(state) == {}
