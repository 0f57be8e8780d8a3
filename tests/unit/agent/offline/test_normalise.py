import pytest

from agent.offline.normalise import normalise


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("fifteen grand", "15k"),
        ("eighteen months", "18 months"),
        ("twenty thousand dollars", "$20000"),
        ("a hundred and twenty k", "120k"),
        ("2 and a half years", "2.5 years"),
        ("a year and a half", "18 months"),
        ("85 K yearly", "85k a year"),
        ("60000 per annum", "60000 a year"),
        ("4,500.00 /mo", "4,500 a month"),
        ("1.2 mil", "1.2 million"),
        ("I have a morgage", "i have a mortgage"),
        ("my salery is sixty thousand", "my salary is 60000"),
        ("I have one other loan", "i have 1 other loan"),
        ("40000 dollars savings, 5k bucks checking", "$40000 savings, $5k checking"),
        ("two grand", "2k"),
    ],
)
def test_spells_figures_and_units_one_way(text, want):
    assert normalise(text) == want


def test_monthly_before_a_noun_is_not_a_period():
    assert normalise("my monthly payment") == "my monthly payment"


@pytest.mark.parametrize(
    ("said", "read"),
    [
        ("about 30 thousand", "about 30000"),
        ("1.5 million", "1500000"),
        ("12 hundred", "1200"),
        ("30 thousand dollars", "$30000"),
        ("2.5 thousand a month", "2500 a month"),
    ],
)
def test_digits_with_a_scale_word_are_one_figure(said, read):
    # text2num turned "thousand" alone into 1000: "30 thousand" was read as 30 and refused.
    assert normalise(said) == read
