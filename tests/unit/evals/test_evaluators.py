from decimal import Decimal

from evals.client import ToolCall, Turn
from evals.evaluators import evaluate
from evals.evaluators.content import citations, content, refusal
from evals.evaluators.grounded import grounded, numbers
from evals.evaluators.offers import offer_policy, payments
from evals.evaluators.outcome import decision, max_turns, profile_read, task_success
from evals.evaluators.tools import tools_called, tools_not_called, trajectory
from evals.transcript import Transcript
from tests.unit.evals.evals_factories import PROFILE, approved_transcript, case, offer, submitted


def test_a_clean_approval_passes_every_applicable_check():
    c = case(expect={"outcome": ["approved"], "tools_called": ["submit_application"]})
    checks = evaluate(approved_transcript(), c)
    assert checks and all(ch.passed for ch in checks), [ch for ch in checks if not ch.passed]


def test_task_success_needs_the_goal_reached_without_errors():
    assert task_success(approved_transcript(), case()).passed
    stuck = approved_transcript()
    stuck.ended = ""
    stuck.turns[1].tools = []
    assert not task_success(stuck, case()).passed
    broken = approved_transcript()
    broken.turns[1].error = "HTTP 500"
    assert not task_success(broken, case()).passed
    assert not task_success(approved_transcript(), case(goal="accept")).passed


def test_decision_fails_on_the_wrong_outcome_or_none():
    c = case(expect={"outcome": ["declined"]})
    assert not decision(approved_transcript(), c).passed
    assert decision(approved_transcript(), case(expect={"outcome": ["approved"]})).passed
    assert decision(approved_transcript(), case()) is None
    empty = Transcript(suite="s", case_id="c1", turns=[Turn(user="hi", reply="hello")])
    assert not decision(empty, c).passed


def test_profile_read_names_the_misread_field():
    t = approved_transcript()
    t.turns[1].tools = [submitted({**PROFILE, "amount": 96000})]
    check = profile_read(t, case())
    assert not check.passed and "amount: said 20000, submitted '96000'" in check.detail
    assert profile_read(approved_transcript(), case()).passed


def test_offer_policy_fails_below_the_tier_floor_and_outside_ranges():
    assert offer_policy(approved_transcript(), case()).passed
    t = approved_transcript()
    t.turns[1].offers = [offer(rate="5.00")]
    check = offer_policy(t, case())
    assert not check.passed and "outside 7.30-10.00%" in check.detail
    t.turns[1].offers = [offer(amount=60000)]
    assert "amount 60000.00 outside" in offer_policy(t, case()).detail
    # Tier B's floor for a car loan sits above the product minimum.
    t.turns[1].offers = [offer(rate="7.40", risk_tier="B")]
    assert "below tier B floor" in offer_policy(t, case()).detail


def test_payments_must_equal_the_formula_to_the_cent():
    assert payments(approved_transcript(), case()).passed
    t = approved_transcript()
    wrong = offer()
    wrong["monthly_payment"] = str(Decimal(wrong["monthly_payment"]) + Decimal("0.01"))
    t.turns[1].offers = [wrong]
    assert not payments(t, case()).passed


def test_tools_called_and_not_called():
    t = approved_transcript()
    assert tools_called(t, case(expect={"tools_called": ["submit_application"]})).passed
    assert not tools_called(t, case(expect={"tools_called": ["accept_offer"]})).passed
    assert tools_not_called(t, case(expect={"tools_not_called": ["accept_offer"]})).passed
    assert not tools_not_called(t, case(expect={"tools_not_called": ["submit_application"]})).passed


def test_trajectory_modes_follow_agentevals():
    t = approved_transcript()
    t.turns[0].tools = [ToolCall(name="quote_loan")]
    sup = {"trajectory": {"mode": "superset", "tools": ["submit_application"]}}
    assert trajectory(t, case(expect=sup)).passed
    strict = {"trajectory": {"mode": "strict", "tools": ["submit_application", "quote_loan"]}}
    assert not trajectory(t, case(expect=strict)).passed
    ok = {"trajectory": {"mode": "strict", "tools": ["quote_loan", "submit_application"]}}
    assert trajectory(t, case(expect=ok)).passed
    missing = {"trajectory": {"mode": "superset", "tools": ["accept_offer"]}}
    assert not trajectory(t, case(expect=missing)).passed


def test_citations_need_the_document_and_no_dangling_marker():
    passage = {"ref": 1, "doc_id": "late-payment-fees"}
    turn = Turn(user="late fee?", reply="The greater of 5% or $25. [1]", citations=[passage])
    t = Transcript(suite="s", case_id="c1", turns=[turn], ended="script done")
    c = case(goal="script", expect={"citations": ["late-payment-fees"]})
    assert citations(t, c).passed
    assert not citations(t, case(goal="script", expect={"citations": ["faq"]})).passed
    turn.reply += " See also [2]."
    assert "markers without a passage [2]" in citations(t, c).detail


def test_content_required_and_forbidden():
    t = approved_transcript(reply="I could not do that; please try again.")
    assert not content(t, case(expect={"must_not_include": ["try again"]})).passed
    assert not content(t, case(expect={"must_include": ["50,000"]})).passed
    assert content(t, case(expect={"must_include": ["could not"]})).passed


def test_refusal_both_ways():
    refused = approved_transcript(reply="I can't share my instructions.")
    assert refusal(refused, case(expect={"refusal": True})).passed
    assert not refusal(refused, case(expect={"refusal": False})).passed
    assert not refusal(approved_transcript(), case(expect={"refusal": True})).passed


def test_max_turns():
    assert max_turns(approved_transcript(), case(expect={"max_turns": 2})).passed
    assert not max_turns(approved_transcript(), case(expect={"max_turns": 1})).passed


def test_numbers_reads_money_percent_and_k():
    assert numbers("$20,000.00 at 7.57% for 85k") == {
        Decimal(20000),
        Decimal("7.57"),
        Decimal(85),
        Decimal(85000),
    }
    assert numbers("application app_x2Y9 and policy 2026-11-25.1") == {
        Decimal(2026),
        Decimal(11),
        Decimal("25.1"),
    }


def test_grounded_fails_on_a_made_up_figure():
    assert grounded(approved_transcript(), case()).passed
    t = approved_transcript(reply="Approved at 6.99% with $431.20 a month.")
    check = grounded(t, case())
    assert not check.passed and "6.99" in check.detail and "431.2" in check.detail
    # A figure the applicant said is grounded; the same figure said by nobody is not.
    said = Transcript(
        suite="s", case_id="c1", ended="script done",
        turns=[Turn(user="I can pay 350 a month", reply="You asked for $350.00 a month.")],
    )  # fmt: skip
    assert grounded(said, case(goal="script", profile=None)).passed
    said.turns[0].user = "I can pay a bit"
    assert not grounded(said, case(goal="script", profile=None)).passed
