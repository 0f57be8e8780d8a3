from decimal import Decimal

from lending.levers import LEVERS, Search, memoised
from lending.schemas import LoanRequest
from tests.unit.lending.lending_strategies import POLICY, applicant, risk

REQ = LoanRequest(product="personal", amount=Decimal(20000), tenure_months=60)


def test_memoised_calls_the_model_once_per_input():
    calls: list[int] = []

    def model(a, r):
        calls.append(1)
        return risk("B")

    cached = memoised(model)
    assert cached(applicant(), REQ) == cached(applicant(), REQ)
    cached(applicant(), REQ.model_copy(update={"amount": Decimal(1000)}))
    assert len(calls) == 2


def test_tenure_lever_finds_shorter_terms_when_the_model_prefers_them():
    # A model that likes short terms: tier B up to 36 months, tier D (referred) beyond.
    def model(a, r):
        return risk("B") if r.tenure_months <= 36 else risk("D")

    search = Search(applicant(), REQ, model, POLICY)
    tenure_lever = LEVERS[1]
    found = tenure_lever(search)
    assert found is not None
    lever, target, field, value, _ = found
    assert (lever, target, field) == ("tenure", "request", "tenure_months")
    assert int(value) <= 36


def test_each_lever_only_proposes_verified_flips():
    def model(a, r):
        return risk("D")  # nothing actionable changes this model's mind

    search = Search(applicant(), REQ, model, POLICY)
    assert [lever(search) for lever in LEVERS] == [None] * len(LEVERS)
