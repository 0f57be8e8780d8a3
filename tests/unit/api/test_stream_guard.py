from langchain_core.messages import HumanMessage, ToolMessage

from api.stream_guard import StreamGuard, text_of
from lending.policy import load_policy

QUOTE = (
    '{"product": "car", "amount": "20000", "tenure_months": 48, "annual_rate_pct": "8.65",'
    ' "monthly_payment": "494.38", "total_interest": "3730.24"}'
)


def _guard() -> StreamGuard:
    guard = StreamGuard(load_policy())
    guard.ground(
        {
            "messages": [
                HumanMessage("car loan 20k over 4 years"),
                ToolMessage(QUOTE, tool_call_id="c1", name="quote_loan"),
            ]
        }
    )
    return guard


def _stream(guard: StreamGuard, text: str, size: int = 3) -> list[str]:
    out = [guard.feed("m1", text[i : i + size]) for i in range(0, len(text), size)]
    return [piece for piece in [*out, guard.finish(text)] if piece]


def test_words_without_figures_are_released_as_they_arrive():
    guard = _guard()
    assert guard.feed("m1", "Your monthly ") == "Your monthly "
    assert guard.feed("m1", "paym") == ""  # a word may still grow into "payment2"
    assert guard.feed("m1", "ent is $494") == "payment is "  # a figure waits for its clause
    assert guard.feed("m1", ".38 a month") == ""
    assert guard.feed("m1", ", fixed.") == "$494.38 a month,"
    assert guard.finish("Your monthly payment is $494.38 a month, fixed.") == " fixed."


def test_a_grounded_reply_streams_whole_in_pieces():
    text = "Your payment is $494.38 a month at 8.65% a year, over 48 months. Want to apply?"
    pieces = _stream(_guard(), text)
    assert "".join(pieces) == text
    assert len(pieces) > 5


def test_an_invented_figure_and_everything_after_it_is_held_back():
    text = "A car loan suits you. Just $299.00 a month! Shall we apply for 20,000?"
    pieces = _stream(_guard(), text)
    assert "".join(pieces) == "A car loan suits you. Just "
    assert "299" not in "".join(pieces)


def test_a_rate_below_the_floor_is_held_with_its_lead_in():
    guard = _guard()
    guard.grounded.add("2")  # even a grounded figure may not be quoted as an out-of-policy rate
    released = "".join(_stream(guard, "We can do it at 2% a year, today."))
    assert "2%" not in released and released.startswith("We can do it")


def test_a_term_outside_policy_is_held_even_when_its_lead_in_was_released():
    # "at" now waits for the next word ("at your age" is unsafe wording), so the lead-in
    # case is the term's "over", released before "100 months" arrives.
    guard = _guard()
    guard.grounded.add("100")
    released = "".join(_stream(guard, "We can spread it over 100 months, today."))
    assert "100" not in released and released.startswith("We can spread it over")


def test_numbers_split_across_pieces_are_judged_whole():
    released = "".join(_stream(_guard(), "It costs $20,001, sadly.", size=1))
    assert "20" not in released  # "$20," then "001" must not pass as "20" then "001"


def test_whole_replies_pass_or_become_the_safe_reply():
    guard = _guard()
    assert guard.safe("You pay $494.38 a month.") == "You pay $494.38 a month."
    assert "299" not in guard.safe("You pay $299 a month.")


def test_a_reply_passed_once_is_judged_again_only_when_the_grounding_changes():
    guard = _guard()
    checks: list[str] = []
    passes = guard.passes

    def counted(text: str) -> bool:
        checks.append(text)
        return passes(text)

    guard.passes = counted  # type: ignore[method-assign]
    text = "You pay $494.38 a month."
    assert guard.safe(text) == text
    assert guard.safe(text) == text and len(checks) == 1  # as `done` text: not checked again
    guard.ground({"messages": [HumanMessage("hello")]})  # the quote is no longer in view
    assert "494.38" not in guard.safe(text)


def test_content_blocks_are_read_as_text():
    assert text_of([{"type": "text", "text": "Hi "}, {"type": "tool_use"}, "there"]) == "Hi there"
    assert text_of(None) == ""


def test_no_word_of_an_unsafe_phrase_is_shown_even_split_across_pieces():
    text = "Good news, you are guaranteed approval. Apply now!"
    for size in (1, 3, 7):
        guard = _guard()
        released = "".join(_stream(guard, text, size=size))
        assert released == "Good news, " and guard.held_last


def test_a_negated_phrase_streams_whole_and_plain_words_still_stream_at_once():
    text = "Approval is not guaranteed, and we never decide based on your age. Shall we go on?"
    pieces = _stream(_guard(), text)
    assert "".join(pieces) == text and len(pieces) > 5
    guard = _guard()
    assert guard.feed("m1", "Happy to help ") == "Happy to help "
    assert guard.feed("m1", "because ") == ""  # may still become "because of your age"
    assert guard.feed("m1", "you asked ") == "because you asked "
