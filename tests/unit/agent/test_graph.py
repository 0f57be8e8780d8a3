from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver

from agent.graph import build_graph
from tests.fakes.chat_models import ScriptedChatModel
from tools.offers import make_offer

CALL = AIMessage(
    content="",
    tool_calls=[
        {
            "name": "make_offer",
            "args": {"product": "car", "amount": 20000, "tenure_months": 48},
            "id": "c1",
            "type": "tool_call",
        }
    ],
)


def _graph(script):
    return build_graph(
        model=ScriptedChatModel(script=script),
        tools=[make_offer],
        checkpointer=InMemorySaver(),
        system_prompt="test",
        versions={"prompt": "system/v1"},
    )


def test_shape_snapshot():
    mermaid = _graph([]).get_graph().draw_mermaid()
    for edge in (
        "__start__ --> call_model",
        "call_model -.-> run_tools",
        "call_model -.-> check_reply",
        "run_tools --> call_model",
        "check_reply --> __end__",
    ):
        assert edge in mermaid, mermaid


def test_grounded_reply_passes_through():
    graph = _graph([CALL, AIMessage(content="Your payment is $494.38 a month at 8.65%.")])
    out = graph.invoke(
        {"messages": [HumanMessage("car 20k 4 years")]}, {"configurable": {"thread_id": "a"}}
    )
    tool_msg = next(m for m in out["messages"] if isinstance(m, ToolMessage))
    assert '"monthly_payment": "494.38"' in tool_msg.content
    assert out["messages"][-1].content == "Your payment is $494.38 a month at 8.65%."
    assert out["guardrail_notes"] == []
    assert out["versions"] == {"prompt": "system/v1"}


def test_invented_number_is_replaced_by_templated_reply():
    graph = _graph([CALL, AIMessage(content="Great news, only $399.99 a month at 5.1%!")])
    out = graph.invoke(
        {"messages": [HumanMessage("car 20k 4 years")]}, {"configurable": {"thread_id": "b"}}
    )
    final = out["messages"][-1].content
    assert "399.99" not in final and "$494.38" in final
    assert "399.99" in out["guardrail_notes"][0]


def test_tool_error_becomes_data_not_a_crash():
    bad = AIMessage(
        content="",
        tool_calls=[
            {
                "name": "make_offer",
                "args": {"product": "car", "amount": 900000, "tenure_months": 48},
                "id": "c2",
                "type": "tool_call",
            }
        ],
    )
    graph = _graph([bad, AIMessage(content="Sorry, that amount is outside our car loan range.")])
    out = graph.invoke(
        {"messages": [HumanMessage("car 900k")]}, {"configurable": {"thread_id": "c"}}
    )
    tool_msg = next(m for m in out["messages"] if isinstance(m, ToolMessage))
    assert "amount must be between $5,000 and $50,000" in tool_msg.content
    assert '"field": "amount"' in tool_msg.content
