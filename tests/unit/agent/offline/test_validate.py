import pytest

from agent.offline.validate import Rejection, check_value, limit_query, split_valid
from lending.policy import load_policy

POLICY = load_policy()


@pytest.mark.parametrize(
    ("slot", "value", "slots", "says"),
    [
        ("credit_score", 900, {}, "850"),
        ("credit_score", 250, {}, "300"),
        ("age", 16, {"product": "car"}, "18"),
        ("age", 19, {"product": "home"}, "21"),  # the product's stricter floor
        ("annual_income", -5000.0, {}, "more than 0"),
        ("amount", 80000.0, {"product": "car"}, "$50,000"),
        ("amount", 20000.0, {"product": "home"}, "$50,000"),
        ("tenure_months", 120, {"product": "car"}, "84 months"),
        ("tenure_months", 24, {"product": "education"}, "60"),
    ],
)
def test_out_of_policy_values_are_refused_naming_the_limit(slot, value, slots, says):
    problem = check_value(slot, value, slots, POLICY)
    assert problem is not None and says in problem.text


@pytest.mark.parametrize(
    ("slot", "value", "slots"),
    [
        ("credit_score", 720, {}),
        ("credit_score", None, {}),  # "I don't know" is a valid answer
        ("age", 21, {"product": "home"}),
        ("amount", 50000.0, {"product": "car"}),
        ("amount", 900000.0, {}),  # no product yet: checked once it is named
    ],
)
def test_values_inside_policy_pass(slot, value, slots):
    assert check_value(slot, value, slots, POLICY) is None


def test_a_new_product_rechecks_the_amount_already_held():
    keep, rejected = split_valid({"product": "home"}, {"amount": 20000.0}, POLICY)
    assert keep == {"product": "home"}
    assert [r.slot for r in rejected] == ["amount"]


def test_each_ranged_refusal_has_a_lookup_for_its_rule():
    assert limit_query(Rejection("amount", 1, "x"), "car") == "car loan amount and term limits"
    assert limit_query(Rejection("age", 16, "x"), None) == "minimum age for a loan"
    assert limit_query(Rejection("annual_income", -1, "x"), "car") is None  # says no number
