from langchain_core.language_models import FakeListChatModel, GenericFakeChatModel
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

from evals.client import ToolCall, Turn
from evals.llm_simulator import STOP, LlmSimulator, LlmSimulatorFactory, instructions
from tests.unit.evals.evals_factories import case


def test_the_persona_facts_goal_and_events_are_in_the_instructions():
    text = instructions(
        case(goal="accept", styles=["slang"], events=[{"when": "offers", "say": "any cheaper?"}])
    )
    assert "annual income: 96000" in text and "credit score: 780" in text
    assert "accept the first offer" in text and "20k" in text
    assert 'reaches: offers: "any cheaper?"' in text and STOP in text


def test_the_model_plays_the_applicant_with_mirrored_roles_until_it_stops():
    model = FakeListChatModel(responses=["about 96k a year", STOP])
    sim = LlmSimulator(case(), model)
    assert sim.opening() == "car loan 20000 48 months"
    assert (
        sim.next_message(Turn(user="x", reply="What is your annual income?")) == "about 96k a year"
    )
    assert isinstance(sim.history[0], SystemMessage)
    assert [type(m) for m in sim.history[1:]] == [AIMessage, HumanMessage, AIMessage]
    assert sim.history[2].content == "What is your annual income?"
    assert sim.next_message(Turn(user="x", reply="You are approved.")) is None
    assert sim.ended == "the applicant was done"


def test_an_accepted_offer_a_handover_or_an_error_ends_it_without_asking_the_model():
    model = GenericFakeChatModel(messages=iter([]))  # would raise if it were called
    for turn, why in [
        (Turn(user="x", tools=[ToolCall(name="accept_offer")]), "accepted"),
        (Turn(user="x", tools=[ToolCall(name="request_human")]), "handover"),
        (Turn(user="x", error="HTTP 500"), "error"),
    ]:
        sim = LlmSimulatorFactory(model, label="llm:fake")(case())
        sim.opening()
        assert sim.next_message(turn) is None and sim.ended == why


def test_a_failed_accept_does_not_end_it():
    sim = LlmSimulator(case(), FakeListChatModel(responses=["ok, option 1 then"]))
    sim.opening()
    turn = Turn(
        user="x", reply="That did not work.", tools=[ToolCall(name="accept_offer", status="error")]
    )
    assert sim.next_message(turn) == "ok, option 1 then"
