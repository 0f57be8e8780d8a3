"""The application service's state machine, property-tested: no call sequence breaks it."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from applications.lifecycle import TRANSITIONS, Action, next_status
from applications.service import ApplicationService
from applications.underwriting import Underwriter
from core.clock import FixedClock
from core.errors import Conflict, NotFound, ValidationFailed
from lending.policy import load_policy
from lending.schemas import ApplicantProfile, LoanRequest, NegotiationAsk
from storage.records import ApplicationStatus as S
from tests.fakes.scoring import RuleScorer
from tests.fakes.stores import sqlite_repos

GOOD = {
    "age": 35,
    "annual_income": 85000,
    "monthly_debt_payments": 0,
    "credit_score": 720,
    "employment_status": "Employed",
    "years_employed": 6,
    "savings_balance": 12000,
    "checking_balance": 3000,
    "home_ownership": "Rent",
    "num_dependents": 2,
    "education_level": "Bachelor's",
    "existing_loans": 0,
}
APPLICANTS = {
    "approved": (GOOD, {"product": "car", "amount": 20000, "tenure_months": 48}),
    "referred": (
        {**GOOD, "annual_income": 150000, "credit_score": None, "monthly_debt_payments": 500,
         "existing_loans": 1, "home_ownership": "Mortgage", "num_dependents": 1,
         "years_employed": 10, "savings_balance": 50000, "checking_balance": 10000,
         "education_level": "Master's", "age": 45},
        {"product": "home", "amount": 300000, "tenure_months": 240},
    ),
    "declined": (
        {**GOOD, "credit_score": 610, "annual_income": 30000, "monthly_debt_payments": 900},
        {"product": "car", "amount": 20000, "tenure_months": 48},
    ),
}  # fmt: skip
T0 = datetime(2026, 11, 25, tzinfo=UTC)
EXPECTED = (Conflict, NotFound, ValidationFailed)
REACHABLE = {(s, to) for (s, _), to in TRANSITIONS.items()}


def test_the_table_names_every_status_and_refuses_the_rest():
    assert {s for s, _ in TRANSITIONS} | set(TRANSITIONS.values()) == set(S)
    with pytest.raises(Conflict, match="an application that is declined cannot accept an offer"):
        next_status(S.DECLINED, Action.ACCEPT)
    for status in (S.DECLINED, S.WITHDRAWN):
        assert not [a for (s, a) in TRANSITIONS if s == status]


class ApplicationLife(RuleBasedStateMachine):
    """Random calls on a few applications; after each, the invariants must hold."""

    def __init__(self) -> None:
        super().__init__()
        self.dir = tempfile.TemporaryDirectory()
        self.clock = FixedClock(T0)
        self.repos = sqlite_repos(Path(self.dir.name) / "app.sqlite", self.clock)
        self.service = ApplicationService(
            self.repos, Underwriter(RuleScorer(), load_policy()), self.clock
        )
        self.apps: list[str] = []
        self.seen_offers: dict[str, set[str]] = {}

    def teardown(self) -> None:
        self.repos.close()
        self.dir.cleanup()

    def _snapshot(self) -> tuple[object, ...]:
        return tuple(
            (self.repos.applications.get(a), self.repos.offers.list_for(a, True)) for a in self.apps
        )

    def _attempt(self, call) -> None:
        """Run `call`; a refusal must leave every record exactly as it was."""
        before = self._snapshot()
        try:
            call()
        except EXPECTED:
            assert self._snapshot() == before, "a refused call changed the store"

    @rule(kind=st.sampled_from(sorted(APPLICANTS)), key=st.sampled_from(["k1", "k2", None]))
    def submit(self, kind: str, key: str | None) -> None:
        profile, request = APPLICANTS[kind]
        done = self.service.submit(
            "usr_alice001",
            ApplicantProfile.model_validate(profile),
            LoanRequest.model_validate(request),
            idempotency_key=None if key is None else f"{key}-{kind}",
        )
        if done.record.application_id not in self.apps:
            assert done.created
            self.apps.append(done.record.application_id)

    @precondition(lambda self: self.apps)
    @rule(data=st.data(), ref=st.sampled_from(["1", "2", "4", "9"]))
    def accept(self, data: st.DataObject, ref: str) -> None:
        app = data.draw(st.sampled_from(self.apps))
        self._attempt(lambda: self.service.accept(app, "usr_alice001", ref))

    @precondition(lambda self: self.apps)
    @rule(data=st.data(), ref=st.sampled_from(["1", "3", "5"]), months=st.integers(12, 96))
    def negotiate(self, data: st.DataObject, ref: str, months: int) -> None:
        app = data.draw(st.sampled_from(self.apps))
        ask = NegotiationAsk(kind="tenure", value=Decimal(months))
        self._attempt(lambda: self.service.negotiate(app, ref, ask))

    @precondition(lambda self: self.apps)
    @rule(data=st.data(), amount=st.sampled_from([5000, 15000, 25000]))
    def reprice(self, data: st.DataObject, amount: int) -> None:
        app = data.draw(st.sampled_from(self.apps))
        self._attempt(lambda: self.service.reprice(app, "usr_alice001", amount=Decimal(amount)))

    @precondition(lambda self: self.apps)
    @rule(data=st.data(), outcome=st.sampled_from(["approved", "declined"]))
    def review(self, data: st.DataObject, outcome: str) -> None:
        app = data.draw(st.sampled_from(self.apps))
        self._attempt(lambda: self.service.review(app, "usr_staff001", outcome, "checked"))

    @precondition(lambda self: self.apps)
    @rule(data=st.data())
    def withdraw(self, data: st.DataObject) -> None:
        app = data.draw(st.sampled_from(self.apps))
        self._attempt(lambda: self.service.withdraw(app, "usr_alice001", "changed my mind"))

    @rule(days=st.sampled_from([1, 10, 20]))
    def wait(self, days: int) -> None:
        self.clock.advance(timedelta(days=days))

    @invariant()
    def every_step_is_a_legal_transition_and_no_offer_is_lost(self) -> None:
        for app_id in self.apps:
            record = self.service.get(app_id)
            steps = [c.status for c in record.history]
            assert steps[0] == S.RECEIVED and steps[-1] == record.status
            for move in zip(steps, steps[1:], strict=False):
                assert move in REACHABLE, f"illegal move {move}"
            offers = self.repos.offers.list_for(app_id, include_old=True)
            ids = {o.offer_id for o in offers}
            assert self.seen_offers.get(app_id, set()) <= ids, "an offer was lost"
            self.seen_offers[app_id] = ids
            accepted = [o for o in offers if o.status == "accepted"]
            assert len(accepted) <= 1
            if record.status == S.OFFER_ACCEPTED:
                assert len(accepted) == 1
            if S.OFFER_ACCEPTED not in steps:
                assert not accepted


TestApplicationLife = ApplicationLife.TestCase
TestApplicationLife.settings = settings(
    max_examples=40,
    stateful_step_count=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def test_withdrawing_an_acceptance_ends_with_the_cooling_off_period(tmp_path):
    clock = FixedClock(T0)
    repos = sqlite_repos(tmp_path / "app.sqlite", clock)
    service = ApplicationService(repos, Underwriter(RuleScorer(), load_policy()), clock)
    profile, request = APPLICANTS["approved"]

    def accepted() -> str:
        done = service.submit(
            "usr_alice001",
            ApplicantProfile.model_validate(profile),
            LoanRequest.model_validate(request),
            idempotency_key=None,
        )
        service.accept(done.record.application_id, "usr_alice001", "1")
        return done.record.application_id

    days = load_policy().acceptance.cooling_off_days
    first, second = accepted(), accepted()
    clock.advance(timedelta(days=days) - timedelta(minutes=1))
    assert service.withdraw(first, "usr_alice001").status == S.WITHDRAWN
    clock.advance(timedelta(minutes=2))
    with pytest.raises(Conflict, match="cooling-off period"):
        service.withdraw(second, "usr_alice001")
    assert service.get(second).status == S.OFFER_ACCEPTED


def test_negotiations_of_one_application_at_once_each_get_their_own_option(tmp_path):
    # A turn's tool calls run in parallel threads; three counter-asks once came back
    # numbered from the same count ("5", "6", "6"), so the applicant saw two option 6s.
    from concurrent.futures import ThreadPoolExecutor

    clock = FixedClock(T0)
    repos = sqlite_repos(tmp_path / "app.sqlite", clock)
    service = ApplicationService(repos, Underwriter(RuleScorer(), load_policy()), clock)
    profile, request = APPLICANTS["approved"]
    app = service.submit(
        "usr_alice001",
        ApplicantProfile.model_validate(profile),
        LoanRequest.model_validate(request),
        idempotency_key=None,
    ).record.application_id
    asks = [NegotiationAsk(kind="shorter"), NegotiationAsk(kind="longer")] * 4
    with ThreadPoolExecutor(max_workers=len(asks)) as pool:
        done = list(pool.map(lambda ask: service.negotiate(app, "1", ask), asks))
    shown = [(v.option, v.offer_id) for n in done for v in n.offers]
    listed = {o.offer_id: str(i) for i, o in enumerate(service.offers(app), start=1)}
    assert len(shown) >= len(asks) and len({option for option, _ in shown}) == len(shown)
    assert all(listed[offer_id] == option for option, offer_id in shown)
