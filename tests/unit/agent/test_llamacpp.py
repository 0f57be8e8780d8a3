import json
from datetime import UTC, datetime

from langchain_core.messages import HumanMessage
from langgraph.checkpoint.memory import InMemorySaver

from agent.advisor import system_prompts
from agent.context import GraphSettings
from agent.graph import build_graph
from agent.llamacpp import LlamaCppChatModel, to_ai_message
from core.clock import FixedClock
from tools.context import RunContext
from tools.quote import quote_loan


def _completion(content="", calls=()):
    return {
        "choices": [
            {
                "message": {
                    "role": "assistant",
                    "content": content,
                    "tool_calls": [
                        {"id": f"c{i}", "type": "function", "function": {"name": n, "arguments": a}}
                        for i, (n, a) in enumerate(calls)
                    ],
                }
            }
        ]
    }


class FakeLlama:
    """Stands in for llama_cpp.Llama: answers from a script, records requests."""

    def __init__(self, script):
        self.script = list(script)
        self.requests = []

    def create_chat_completion(self, **kwargs):
        self.requests.append(kwargs)
        return self.script.pop(0)


def test_tool_calls_are_parsed_and_broken_json_dropped():
    msg = to_ai_message(
        _completion(calls=[("quote_loan", '{"product": "car"}'), ("quote_loan", "{not json")])
    )
    assert [c["args"] for c in msg.tool_calls] == [{"product": "car"}]


def test_a_small_models_wrong_numbers_are_replaced_by_the_guard():
    args = json.dumps({"product": "car", "amount": 20000, "tenure_months": 48})
    llama = FakeLlama(
        [
            _completion(calls=[("quote_loan", args)]),
            _completion(
                "The payment is $123.45 a month at 2% a year."
            ),  # wrong, as small models are
        ]
    )
    graph = build_graph(
        model=LlamaCppChatModel(llama=llama),
        tools=[quote_loan],
        checkpointer=InMemorySaver(),
        clock=FixedClock(datetime(2026, 11, 25, tzinfo=UTC)),
        settings=GraphSettings(prompts=system_prompts(), versions={"provider": "llamacpp:"}),
    )
    out = graph.invoke(
        {"messages": [HumanMessage("car loan 20k over 4 years")]},
        {"configurable": {"thread_id": "t"}},
        context=RunContext(user_id="usr_alice001", thread_id="t"),
    )
    assert "123.45" not in out["messages"][-1].content
    assert "$494.38" in out["messages"][-1].content
    assert llama.requests[0]["tools"][0]["function"]["name"] == "quote_loan"
    assert llama.requests[1]["messages"][-1]["role"] == "tool"


def test_a_repeated_tool_call_is_answered_in_words_instead():
    args = json.dumps({"product": "car", "amount": 20000, "tenure_months": 48})
    llama = FakeLlama(
        [
            _completion(calls=[("quote_loan", args)]),
            _completion(calls=[("quote_loan", args)]),  # asks again for what it just got
            _completion("Your payment would be $494.38 a month."),
        ]
    )
    graph = build_graph(
        model=LlamaCppChatModel(llama=llama),
        tools=[quote_loan],
        checkpointer=InMemorySaver(),
        clock=FixedClock(datetime(2026, 11, 25, tzinfo=UTC)),
        settings=GraphSettings(prompts=system_prompts(), versions={"provider": "llamacpp:"}),
    )
    out = graph.invoke(
        {"messages": [HumanMessage("car loan 20k over 4 years")]},
        {"configurable": {"thread_id": "t"}, "recursion_limit": 12},
        context=RunContext(user_id="usr_alice001", thread_id="t"),
    )
    assert out["messages"][-1].content.startswith("Your payment would be $494.38 a month.")
    assert "tools" in llama.requests[1] and "tools" not in llama.requests[2]
    assert sum(m.type == "tool" for m in out["messages"]) == 1
