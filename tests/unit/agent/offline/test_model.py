from decimal import Decimal

from lending.amortization import monthly_payment


def test_quote_matches_formula_to_the_cent(chat):
    reply = chat.say("I want a car loan of $20,000 over 4 years")
    expected = monthly_payment(Decimal(20000), Decimal("8.65"), 48)
    assert f"${expected:,.2f}" in reply
    assert "income" in reply  # goes on to ask for what the application still needs


def test_asks_for_what_is_missing_then_accepts_correction(chat):
    assert "how much" in chat.say("a car loan please").lower()
    assert "$40,000.00 over 60 months" in chat.say("40k over 5 years")
    reply = chat.say("actually it's 35k, not 40k")
    assert "$35,000.00 over 60 months" in reply


def test_out_of_range_request_is_explained(chat):
    reply = chat.say("car loan 900k over 4 years")
    assert "could not do that" in reply and "$50,000" in reply


def test_same_conversation_gives_same_words(advisor):
    from tests.unit.agent.conftest import Chat

    a, b = Chat(advisor, "a"), Chat(advisor, "b")
    for text in ("hi", "car loan 20k over 3 years", "I earn 70k a year, employed 4 years"):
        assert a.say(text) == b.say(text)
