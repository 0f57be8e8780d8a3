from collections import Counter
from datetime import UTC, datetime

from langgraph.checkpoint.memory import InMemorySaver

from agent.experiments import assign_variant
from agent.feedback import record_feedback
from core.clock import FixedClock
from tests.fakes.conversations import GOOD_APPLICANT
from tests.fakes.knowledge import FakeKnowledgeBase
from tests.fakes.scoring import RuleScorer
from tests.unit.agent.conftest import Chat, offline_advisor


def test_variant_assignment_is_stable_and_balanced():
    assert assign_variant("thr_abc") == assign_variant("thr_abc")
    counts = Counter(assign_variant(f"thr_{i}").name for i in range(2000))
    assert 900 < counts["A"] < 1100


def test_long_threads_are_summarised_and_keep_working(service):
    graph = offline_advisor(
        InMemorySaver(),
        applications=service,
        scorer=RuleScorer(),
        knowledge=FakeKnowledgeBase(),
        clock=FixedClock(datetime(2026, 11, 25, tzinfo=UTC)),
        token_budget=400,  # small, so a normal application crosses it
    )
    chat = Chat(graph, "long")
    for text in GOOD_APPLICANT:
        chat.say(text)
    reply = chat.say("yes")
    assert "approved" in reply
    state = chat.state
    assert state.get("summary"), "the thread should have been summarised"
    assert len(state["messages"]) < 30
    reply = chat.say("I'll take option 1")
    assert "Shall I accept option 1" in reply  # restated first: accepting is binding
    reply = chat.say("yes")
    assert "accepted option 1" in reply


class Sink:
    def __init__(self):
        self.saved = []

    def save(self, feedback):
        self.saved.append(feedback)


def test_feedback_is_stored_with_versions(chat):
    chat.say("what is APR?")
    reply = chat.state["messages"][-1]
    sink = Sink()
    fb = record_feedback(sink, chat.graph, "t1", reply.id, "up", "clear, call me on 555-123-4567")
    assert sink.saved == [fb]
    assert fb.versions["prompt"].startswith("system/v") and fb.versions["variant"] in "AB"
    assert "555-123-4567" not in fb.comment
    assert fb.question == "what is APR?"  # the turn the rated reply answered
