from decimal import Decimal

from evals.answers import ANSWERS
from evals.phrasing import count, income, money, months, words
from evals.schema import Profile
from tests.unit.evals.evals_factories import PROFILE


def test_number_words():
    assert words(15) == "fifteen"
    assert words(48) == "forty-eight"
    assert words(120000) == "one hundred and twenty thousand"
    assert words(20005) == "twenty thousand and five"
    assert words(1_250_000) == "one million two hundred and fifty thousand"


def test_money_in_each_style():
    assert money(Decimal(20000), "terse") == "20000"
    assert money(Decimal(20000), "words") == "twenty thousand dollars"
    assert money(Decimal(20000), "slang") == "twenty grand"
    assert money(Decimal(85000), "slang") == "85k"
    assert money(Decimal(20000), "chatty") == "about $20,000"
    assert money(Decimal(20000), "typos") == "20,000 dollers"
    assert money(Decimal("1234.50"), "words") == "1234.50"  # cents are never said in words


def test_income_monthly_only_when_exact():
    assert income(Decimal(96000), "monthly") == "$8,000 a month"
    assert income(Decimal(85000), "monthly") == "85000 a year"  # 7083.33... is not exact
    assert income(Decimal(85000), "slang") == "85k a year"
    assert income(Decimal(85000), "typos") == "85000 a yaer"


def test_terms_and_counts():
    assert months(48, "chatty") == "4 years"
    assert months(48, "words") == "four years"
    assert months(18, "words") == "eighteen months"
    assert months(30, "slang") == "2 and a half years"
    assert months(48, "terse") == "48 months"
    assert count(0, "kid", "terse") == "no kids"
    assert count(2, "kid", "chatty") == "two kids"


def test_every_answer_kind_renders_in_every_style():
    profile = Profile.model_validate({**PROFILE, "gold_value": 30000})
    for kind, answer in ANSWERS.items():
        for style in ("terse", "chatty", "words", "slang", "monthly", "typos"):
            assert answer(profile, style).strip(), (kind, style)
    unknown = Profile.model_validate({**PROFILE, "credit_score": None})
    assert ANSWERS["credit_score"](unknown, "terse") == "I don't know"
