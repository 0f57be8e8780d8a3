from evals.client import ToolCall, Turn
from evals.simulator import Simulator, question_kind
from tests.unit.evals.evals_factories import case, submitted


def test_question_kinds_come_from_question_sentences_only():
    assert (
        question_kind(
            "To see more: What is your gross income (a yearly or monthly "
            "figure), and are you employed, self-employed or retired?"
        )
        == "income"
    )
    assert question_kind('Do you know your credit score? If not, say "I don\'t know".') == (
        "credit_score"
    )
    assert question_kind("Here is what I have. x. Shall I submit this application?") == "confirm"
    # A policy answer mentioning education asks nothing.
    assert question_kind("Education loans have a moratorium. [1]") is None


def test_a_rejection_names_the_field_to_give_again():
    reply = "I could not do that: tenure must be between 6 and 84 months (got 120)."
    assert question_kind(reply) == "tenure_months"
    assert question_kind("I could not do that: amount must be between $5,000 and $50,000.") == (
        "amount"
    )


def test_answers_follow_the_persona_and_rotate_styles():
    sim = Simulator(case(styles=["terse", "words"]))
    assert sim.opening() == "car loan 20000 48 months"
    first = sim.next_message(Turn(user="", reply="How old are you?"))
    second = sim.next_message(Turn(user="", reply="How old are you?"))
    assert {first, second} == {"41", "I'm forty-one"}


def test_literal_answers_are_used_in_order_then_the_last_repeats():
    sim = Simulator(case(answers={"credit_score": ["900", "780"]}))
    asks = [Turn(user="", reply=f"({n}) Do you know your credit score?") for n in range(3)]
    assert [sim.next_message(ask) for ask in asks] == ["900", "780", "780"]


def test_events_fire_once_at_their_trigger():
    c = case(events=[{"when": "confirm", "say": "can it be 350 a month?"},
                     {"when": "age", "say": "does age matter?", "instead": False}])  # fmt: skip
    sim = Simulator(c)
    assert sim.next_message(Turn(user="", reply="How old are you?")) == "does age matter? 41"
    confirm = Turn(user="", reply="Shall I submit this application?")
    assert sim.next_message(confirm) == "can it be 350 a month?"
    assert sim.next_message(confirm) == "yes"


def test_conversation_ends_on_decision_offers_accept_handover_and_loops():
    decided = Turn(user="yes", reply="Declined.", tools=[submitted(outcome="declined")])
    sim = Simulator(case())
    assert sim.next_message(decided) is None and sim.ended == "decision"
    offers = Turn(user="yes", reply="Approved. Option 1: ...", tools=[submitted()])
    accept = Simulator(case(goal="accept"))
    assert accept.next_message(offers) == "I'll take option 1"
    newer = Turn(user="lower?", reply="New option 4: ... Would you like to accept it?")
    assert accept.next_message(newer) == "I'll take option 4"
    done = Turn(user="", reply="Done.", tools=[ToolCall(name="accept_offer")])
    assert accept.next_message(done) is None and accept.ended == "accepted"
    handover = Simulator(case())
    assert handover.next_message(Turn(user="", reply="A person will call.",
                                      tools=[ToolCall(name="request_human")])) is None  # fmt: skip
    assert handover.ended == "handover"
    loop = Simulator(case())
    same = Turn(user="", reply="How many dependents do you have?")
    replies = [loop.next_message(same) for _ in range(3)]
    assert replies[-1] is None and loop.ended.startswith("loop")


def test_a_script_is_said_in_order_and_then_ends():
    sim = Simulator(case(goal="script", profile=None, opening="hi", script=["a", "b"]))
    turns = [Turn(user="", reply=f"Reply {n}.") for n in range(3)]
    assert [sim.next_message(t) for t in turns] == ["a", "b", None]
    assert sim.ended == "script done"


def test_an_api_error_ends_the_conversation():
    sim = Simulator(case())
    assert sim.next_message(Turn(user="", error="HTTP 500")) is None and sim.ended == "error"
