import pytest

from agent.offline.parser import (
    LoanSlots,
    parse_amount,
    parse_product,
    parse_slots,
    parse_tenure_months,
)


@pytest.mark.parametrize(
    ("text", "product", "amount", "months"),
    [
        ("I want a car loan of $20,000 over 4 years", "car", 20000, 48),
        ("mortgage 250k for 30 years", "home", 250000, 360),
        ("need 15000 usd for tuition, five years", "education", 15000, 60),
        ("gold loan 3000 dollars 18 months", "gold", 3000, 18),
        ("a personal loan of 1.5k over 12 mos", "personal", 1500, 12),
        ("hello there", None, None, None),
    ],
)
def test_parses_requests(text, product, amount, months):
    slots = parse_slots(text)
    assert (slots.product, slots.amount, slots.tenure_months) == (product, amount, months)


def test_years_are_not_amounts():
    assert parse_amount("over 4 years") is None
    assert parse_tenure_months("over 4 years") == 48


def test_ambiguous_product_is_not_guessed():
    assert parse_product("car or home loan?") is None


def test_later_words_win():
    first = parse_slots("car loan 54k over 5 years")
    corrected = first.merge(parse_slots("actually it's 45k, not 54k"))
    assert (corrected.product, corrected.amount, corrected.tenure_months) == ("car", 45000, 60)


def test_missing_lists_in_order():
    assert LoanSlots(product="car").missing() == ["the amount", "the term"]
