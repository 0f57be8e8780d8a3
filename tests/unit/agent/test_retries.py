"""A turn that failed before its reply is forgotten when the applicant sends again."""

from langchain_core.messages import AIMessage, HumanMessage, RemoveMessage, ToolMessage

from agent.retries import forget_unfinished_turn, unfinished_turn
from api.thread_history import public_messages


def _h(text, i):
    return HumanMessage(text, id=f"h{i}")


def test_an_answered_turn_is_kept():
    messages = [_h("hi", 1), AIMessage("Hello", id="a1"), _h("what is APR?", 2)]
    assert unfinished_turn(messages) == []
    assert unfinished_turn([_h("hi", 1)]) == []


def test_a_message_left_without_a_reply_is_forgotten():
    messages = [_h("hi", 1), AIMessage("Hello", id="a1"), _h("what is APR?", 2)]
    resent = [*messages, _h("what is APR?", 3)]
    assert unfinished_turn(resent) == [messages[2]]
    assert forget_unfinished_turn(resent) == [RemoveMessage(id="h2")]


def test_a_turn_cut_off_after_a_tool_is_forgotten_whole():
    call = AIMessage("", id="a2", tool_calls=[{"name": "quote_loan", "args": {}, "id": "c1"}])
    result = ToolMessage("{}", tool_call_id="c1", name="quote_loan", id="t1")
    messages = [_h("hi", 1), AIMessage("Hello", id="a1"), _h("quote me", 2), call, result]
    assert [m.id for m in forget_unfinished_turn([*messages, _h("quote me", 3)])] == [
        "h2",
        "a2",
        "t1",
    ]


def test_a_retried_turn_reloads_as_one_message_with_its_one_reply(chat):
    chat.say("hi")
    # What a failed run leaves in the checkpoint: the applicant's message and no reply.
    chat.graph.update_state(
        chat.config, {"messages": [HumanMessage("what is APR?")]}, as_node="human_review"
    )
    chat.say("what is APR?")  # the client's "Try again"
    shown = [(m.role, m.content) for m in public_messages(chat.state["messages"])]
    assert [role for role, _ in shown] == ["user", "assistant", "user", "assistant"]
    assert [text for role, text in shown if role == "user"] == ["hi", "what is APR?"]
    assert "APR" in shown[-1][1]
