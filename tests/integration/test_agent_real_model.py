"""A whole application through the advisor with a really trained champion model, the
SQLite checkpointer, and a process restart in the middle of the conversation."""

from __future__ import annotations

import json

import pytest
from langchain_core.messages import ToolMessage

from agent.guardrails import ungrounded_numbers
from api.composition import open_runtime
from core.config import Settings
from lending.amortization import monthly_payment
from tests.fakes.knowledge import FakeKnowledgeBase
from tools.context import RunContext

APPLICATION = [
    "I want a car loan of $20,000 over 4 years",
    "I earn 95k a year, employed full-time for 8 years",
    "no debts and no other loans",
    "my credit score is 780",
    "savings of 40k and 5,000 in checking",
    "I own my home, no kids",
    "master's degree",
    "41",
]


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory):
    from cli.scoring import ensure_champion

    path = tmp_path_factory.mktemp("var")
    ensure_champion(path, rows=2000)
    return path


def _say(graph, text):
    out = graph.invoke(
        {"messages": [("user", text)]},
        {"configurable": {"thread_id": "thr_x"}},
        context=RunContext(user_id="usr_alice001", thread_id="thr_x"),
    )
    return out, str(out["messages"][-1].content)


def test_application_survives_a_restart_and_is_decided_by_the_real_model(var_dir):
    settings = Settings(var_dir=var_dir)
    with open_runtime(settings, knowledge=FakeKnowledgeBase()) as runtime:
        graph = runtime.graph
        for text in APPLICATION[:4]:
            _say(graph, text)
    # a new process: new graph, same checkpoint file
    with open_runtime(settings, knowledge=FakeKnowledgeBase()) as runtime:
        graph = runtime.graph
        for text in APPLICATION[4:]:
            out, reply = _say(graph, text)
        assert "Shall I submit" in reply and "$95,000.00 a year" in reply
        out, reply = _say(graph, "yes")
        application = out["application"]  # the typed snapshot the thread keeps
        submitted = next(
            json.loads(str(m.content))
            for m in reversed(out["messages"])
            if isinstance(m, ToolMessage) and m.name == "submit_application"
        )
        model_version = submitted["decision"]["versions"]["model_version"]
        assert model_version.startswith("m"), model_version
        assert application.outcome in ("approved", "conditionally_approved", "referred")
        for offer in application.offers:
            expected = monthly_payment(offer.amount, offer.annual_rate_pct, offer.tenure_months)
            assert offer.monthly_payment == expected
            assert f"${expected:,.2f} a month" in reply
        messages = out["messages"]
        assert not ungrounded_numbers(reply, messages[:-1])
        assert out["versions"]["policy"].startswith("2026-")
