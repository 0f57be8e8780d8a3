"""A tool-calling model chooses offer structures for the applicant's goals; the tools price them.

The model is scripted (`tests.fakes.chat_models`), but everything it is given comes from the
real graph: the real tools over the real application service and lending code, the real
output guard, and the chat's SSE stream. Its steps read the tool results it was shown, as an
LLM would, so no figure in these tests is written down in advance.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver

from agent.advisor import build_advisor
from agent.guardrails import numbers_in
from agent.reply_check import DISCLAIMER
from api.chat_events import stream_turn
from lending.policy import load_policy
from lending.quote import standard_quote
from lending.schemas import ApplicantProfile, LoanRequest
from tests.fakes.chat_models import StreamingScriptedChatModel
from tests.fakes.knowledge import FakeKnowledgeBase
from tests.fakes.scoring import RuleScorer
from tests.unit.agent.conftest import CLOCK
from tools.context import RunContext
from tools.ports import ToolDeps

USER, THREAD = "usr_alice001", "t1"
GOALS = "Show me the lowest monthly payment, paying it off sooner, and a smaller loan of $15,000."
PROFILE = {
    "age": 35,
    "annual_income": 85000,
    "monthly_debt_payments": 0,
    "credit_score": 720,
    "employment_status": "Employed",
    "years_employed": 6,
    "savings_balance": 12000,
    "checking_balance": 3000,
    "home_ownership": "Rent",
    "num_dependents": 2,
    "education_level": "Bachelor's",
    "existing_loans": 0,
}
# What v6 of the system prompt maps each goal to: negotiate_offer with these kinds.
STRUCTURES = {
    "Lowest payment": {"offer_id": "1", "kind": "payment"},
    "Paid off sooner": {"offer_id": "1", "kind": "shorter"},
    "A smaller loan": {"offer_id": "1", "kind": "amount", "value": 15000},
}


def _calls(tool: str, structures: dict[str, dict[str, Any]]) -> AIMessage:
    """The model's first step: one tool call per structure it chose for the goals."""
    calls = [{"name": tool, "args": args, "id": goal} for goal, args in structures.items()]
    return AIMessage("", tool_calls=calls)


def _priced(messages: list[BaseMessage]) -> list[tuple[str, dict[str, Any]]]:
    """Return (goal, priced loan) for each tool result of this turn, as the model reads them.

    A trailing human message is the output guard's correction request, not a new turn.
    """
    if isinstance(messages[-1], HumanMessage):
        messages = messages[:-1]
    out: list[tuple[str, dict[str, Any]]] = []
    for message in messages:
        if isinstance(message, HumanMessage):
            out = []
        elif isinstance(message, ToolMessage):
            data = json.loads(str(message.content))
            out.append((message.tool_call_id, data.get("offer") or data))
    return out


def quoting(change: Callable[[str], str] = lambda figure: figure) -> Callable[..., AIMessage]:
    """A reply step that presents each priced structure with the figures the tools returned.

    `change` rewrites the first payment, to script a model that invents one.
    """

    def reply(messages: list[BaseMessage]) -> AIMessage:
        lines = []
        for n, (goal, loan) in enumerate(_priced(messages)):
            payment = change(loan["monthly_payment"]) if n == 0 else loan["monthly_payment"]
            lines.append(
                f"{goal}: ${loan['amount']} over {loan['tenure_months']} months at "
                f"{loan['annual_rate_pct']}% a year, ${payment} a month."
            )
        return AIMessage("\n".join([*lines, DISCLAIMER]))

    return reply


def invented(figure: str) -> str:
    """Return a payment no tool returned (a cent under the real one)."""
    return str(Decimal(figure) - Decimal("0.01"))


@pytest.fixture
def submitted(service):
    """An approved car application of this thread, submitted before the chat turn."""
    done = service.submit(
        USER,
        ApplicantProfile(**PROFILE),
        LoanRequest(product="car", amount=20000, tenure_months=48),
        idempotency_key="k1",
        thread_id=THREAD,
    )
    assert done.record.status.value == "approved"
    return done.record.application_id


def _run(service, script: list[Any]) -> tuple[list[tuple[str, Any]], StreamingScriptedChatModel]:
    model = StreamingScriptedChatModel(script=script, seen=[])
    deps = ToolDeps(
        policy=load_policy(),
        clock=CLOCK,
        scorer=RuleScorer(),
        knowledge=FakeKnowledgeBase(),
        applications=service,
    )
    graph = build_advisor(model=model, deps=deps, checkpointer=InMemorySaver(), provider="s:s")

    async def collect() -> list[tuple[str, Any]]:
        ctx = RunContext(user_id=USER, thread_id=THREAD)
        return [(e["event"], json.loads(e["data"])) async for e in stream_turn(graph, ctx, GOALS)]

    return asyncio.run(collect()), model


def _shown(events: list[tuple[str, Any]]) -> str:
    """Return every text of the raw stream the client could put on screen, joined."""
    return "\n".join(d["text"] for e, d in events if e in ("token", "replace", "done"))


def _results(events: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    return [d["result"] for e, d in events if e == "tool_end"]


def _first_priced(model: StreamingScriptedChatModel) -> dict[str, Any]:
    """Return the loan of the first call, in call order (tool_end events come as tools finish)."""
    return _priced(model.seen[1])[0][1]


def _figures(loan: dict[str, Any]) -> set[str]:
    return numbers_in(f"{loan['amount']} {loan['tenure_months']} {loan['monthly_payment']}")


def test_the_model_prices_three_structures_and_quotes_only_what_the_tools_returned(
    service, submitted
):
    events, model = _run(service, [_calls("negotiate_offer", STRUCTURES), quoting()])
    results = _results(events)
    assert [d["name"] for e, d in events if e == "tool_start"] == ["negotiate_offer"] * 3
    assert len(results) == 3 and all(r["met"] for r in results)
    reply = events[-1][1]["text"]
    # The three calls run at once and finish in any order: pair each result with its call.
    priced = dict(_priced(model.seen[1]))
    offers = [priced[goal] for goal in STRUCTURES]
    for goal, offer in zip(STRUCTURES, offers, strict=True):
        line = next(x for x in reply.splitlines() if x.startswith(goal))
        assert numbers_in(line) == _figures(offer) | {offer["annual_rate_pct"].rstrip("0")}
    assert numbers_in(reply) <= numbers_in(json.dumps(results)) | {"15000"}
    # The three structures differ as the goals ask, and each is a stored offer of the application.
    low, short, small = offers
    assert low["tenure_months"] > 48 > short["tenure_months"] and small["amount"] == "15000.00"
    assert len({o["offer_id"] for o in offers}) == 3  # each its own numbered option
    stored = {o.offer_id: o.terms for o in service.offers(submitted)}
    for offer in offers:
        assert stored[offer["offer_ref"]]["monthly_payment"] == offer["monthly_payment"]
    assert "replace" not in [e for e, _ in events]  # it passed the guard as it streamed


def test_an_invented_payment_is_held_back_and_the_model_corrects_itself(service, submitted):
    events, model = _run(
        service, [_calls("negotiate_offer", STRUCTURES), quoting(invented), quoting()]
    )
    real = _first_priced(model)["monthly_payment"]
    assert invented(real) not in _shown(events)  # on the raw stream, not just the final text
    correction = str(model.seen[-1][-1].content)
    assert invented(real).rstrip("0") in correction  # the violation was named
    replaced = [d["text"] for e, d in events if e == "replace"]
    assert len(replaced) == 1 and f"${real} a month" in replaced[0]
    assert events[-1][1]["text"] == replaced[0]


def test_a_model_that_invents_twice_is_answered_from_the_tool_results(service, submitted):
    script = [_calls("negotiate_offer", STRUCTURES), quoting(invented), quoting(invented)]
    events, model = _run(service, script)
    results = _results(events)
    assert invented(_first_priced(model)["monthly_payment"]) not in _shown(events)
    final = events[-1][1]["text"]
    for result in results:  # the templated reply presents every structure the tools priced
        assert f"${result['offer']['monthly_payment']} a month" in final
    assert numbers_in(final) <= numbers_in(json.dumps(results)) | {"15000"}


def test_before_applying_the_structures_are_priced_as_quotes(service):
    quotes = {
        "Lowest payment": {"product": "car", "amount": 20000, "tenure_months": 72},
        "Paid off sooner": {"product": "car", "amount": 20000, "tenure_months": 24},
        "A smaller loan": {"product": "car", "amount": 15000, "tenure_months": 48},
    }
    events, _ = _run(service, [_calls("quote_loan", quotes), quoting()])
    reply = events[-1][1]["text"]
    for goal, args in quotes.items():  # the figures are the lending code's, through the tool
        priced = standard_quote("car", Decimal(args["amount"]), args["tenure_months"])
        line = next(x for x in reply.splitlines() if x.startswith(goal))
        assert f"${priced.monthly_payment} a month" in line
        assert f"{priced.annual_rate_pct}% a year" in line
    assert numbers_in(reply) <= numbers_in(json.dumps(_results(events))) | {"15000"}
