from langchain_core.language_models import FakeListChatModel, GenericFakeChatModel
from langchain_core.messages import AIMessage

from evals.client import Turn
from evals.evaluators.judge import LlmJudge, conversation_text
from evals.transcript import Transcript
from tests.unit.evals.evals_factories import case


def transcript(*replies: str) -> Transcript:
    return Transcript(
        suite="s", case_id="c1", turns=[Turn(user=f"q{i}", reply=r) for i, r in enumerate(replies)]
    )


def test_a_good_verdict_passes_and_says_the_scores():
    model = FakeListChatModel(responses=['{"tone": 5, "clarity": 4, "reasons": "plain and kind"}'])
    check = LlmJudge(model)(transcript("Hello! How much would you like to borrow?"), case())
    assert check is not None and check.passed and check.evaluator == "judge"
    assert check.detail == "tone 5/5, clarity 4/5: plain and kind"


def test_a_low_score_fails_and_a_fenced_json_reply_is_read():
    reply = '```json\n{"tone": 2, "clarity": 5, "reasons": "curt"}\n```'
    check = LlmJudge(GenericFakeChatModel(messages=iter([AIMessage(reply)])))(
        transcript("No."), case()
    )
    assert check is not None and not check.passed and check.detail.startswith("tone 2/5")


def test_an_unreadable_or_out_of_range_verdict_is_a_failed_check():
    for reply in ["I think it was fine", '{"tone": 9, "clarity": 3}']:
        check = LlmJudge(FakeListChatModel(responses=[reply]))(transcript("Hi"), case())
        assert check is not None and not check.passed
        assert check.detail.startswith("unreadable verdict")


def test_nothing_to_judge_without_an_advisor_reply():
    model = GenericFakeChatModel(messages=iter([]))
    assert LlmJudge(model)(transcript(""), case()) is None
    assert (
        conversation_text(transcript("a", "b"))
        == "applicant: q0\nadvisor: a\napplicant: q1\nadvisor: b"
    )
