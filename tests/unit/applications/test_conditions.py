"""Conditional approvals: the documents they ask for gate acceptance in the service."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from applications.conditions import conditions, outstanding
from applications.service import ApplicationService
from applications.underwriting import Underwriter
from core.clock import FixedClock
from core.errors import Conflict, NotFound, ValidationFailed
from lending.policy import load_policy
from lending.schemas import ApplicantProfile, LoanRequest
from storage.records import ApplicationStatus as S
from storage.records import DocumentRecord
from tests.fakes.scoring import RuleScorer
from tests.fakes.stores import sqlite_repos

PROFILE = {
    "age": 35,
    "annual_income": 85000,
    "monthly_debt_payments": 0,
    "credit_score": 680,  # tier C with the rule scorer: conditionally approved
    "employment_status": "Employed",
    "years_employed": 6,
    "savings_balance": 12000,
    "checking_balance": 3000,
    "home_ownership": "Rent",
    "num_dependents": 2,
    "education_level": "Bachelor's",
    "existing_loans": 0,
}
T0 = datetime(2026, 11, 25, tzinfo=UTC)
POLICY = load_policy()
CAR_DOCS = [*POLICY.conditional_documents, *POLICY.product("car").documents]


def _service(tmp_path: Path, *, documents_first: bool = True) -> ApplicationService:
    clock = FixedClock(T0)
    policy = POLICY
    if not documents_first:
        rules = policy.acceptance.model_copy(update={"documents_before_acceptance": False})
        policy = policy.model_copy(update={"acceptance": rules})
    return ApplicationService(
        sqlite_repos(tmp_path / "app.sqlite", clock), Underwriter(RuleScorer(), policy), clock
    )


def _conditional(service: ApplicationService, score: int = 680) -> str:
    done = service.submit(
        "usr_1",
        ApplicantProfile.model_validate({**PROFILE, "credit_score": score}),
        LoanRequest(product="car", amount=Decimal(20000), tenure_months=48),
        idempotency_key=None,
    )
    assert done.record.status == S.APPROVED
    return done.record.application_id


def test_a_conditional_approval_lists_the_policy_documents_none_provided(tmp_path):
    service = _service(tmp_path)
    record = service.get(_conditional(service))
    assert [c.name for c in service.documents(record)] == CAR_DOCS
    assert not any(c.provided for c in service.documents(record))
    blocked = service.accept_blocked(record)
    assert blocked is not None and "Government-issued photo ID" in blocked


def test_accept_is_refused_until_every_document_is_in_then_allowed(tmp_path):
    service = _service(tmp_path)
    app_id = _conditional(service)
    with pytest.raises(Conflict, match="Before you can accept, we need: Government-issued"):
        service.accept(app_id, "usr_1", "1")
    assert service.get(app_id).status == S.APPROVED  # nothing changed
    for name in CAR_DOCS[:-1]:
        service.provide_document(app_id, "usr_1", name)
    with pytest.raises(Conflict) as refused:
        service.accept(app_id, "usr_1", "1")
    assert refused.value.args[0].count(";") == 0  # only the one left is named
    assert CAR_DOCS[-1] in refused.value.args[0]
    service.provide_document(app_id, "usr_1", CAR_DOCS[-1])
    service.accept(app_id, "usr_1", "1")
    assert service.get(app_id).status == S.OFFER_ACCEPTED


def test_an_unconditional_approval_needs_no_documents(tmp_path):
    service = _service(tmp_path)
    app_id = _conditional(service, score=780)
    assert service.documents(service.get(app_id)) == []
    service.accept(app_id, "usr_1", "1")


def test_the_policy_can_let_documents_follow_the_acceptance(tmp_path):
    service = _service(tmp_path, documents_first=False)
    app_id = _conditional(service)
    assert service.accept_blocked(service.get(app_id)) is None
    service.accept(app_id, "usr_1", "1")


def test_providing_is_recorded_once_in_the_history_and_survives_a_reprice(tmp_path):
    service = _service(tmp_path)
    app_id = _conditional(service)
    name = CAR_DOCS[0]
    first = service.provide_document(app_id, "usr_1", name)
    again = service.provide_document(app_id, "usr_1", name)
    assert len(again.history) == len(first.history)
    assert first.history[-1].note == f"document provided: {name}"
    (done,) = [c for c in conditions(first) if c.name == name]
    assert done.provided and done.provided_at == T0
    repriced, _ = service.reprice(app_id, "usr_1", amount=Decimal(18000))
    assert name not in outstanding(repriced)
    assert "_provided" not in (service.offers(app_id)[0].terms)


def test_unknown_documents_and_foreign_files_are_refused(tmp_path):
    service = _service(tmp_path)
    app_id = _conditional(service)
    with pytest.raises(ValidationFailed, match="does not ask for 'Passport'.*Government"):
        service.provide_document(app_id, "usr_1", "Passport")
    theirs = DocumentRecord(
        document_id="doc_other1",
        owner="usr_2",
        kind="identity",
        filename="id.pdf",
        content_type="application/pdf",
        size_bytes=10,
        storage_key="k",
        created_at=T0,
    )
    service.repos.documents.put(theirs)
    with pytest.raises(NotFound, match="doc_other1"):
        service.provide_document(app_id, "usr_1", CAR_DOCS[0], document_id="doc_other1")
    mine = theirs.model_copy(update={"document_id": "doc_mine1", "owner": "usr_1"})
    service.repos.documents.put(mine)
    record = service.provide_document(app_id, "usr_1", CAR_DOCS[0], document_id="doc_mine1")
    assert conditions(record)[0].document_id == "doc_mine1"


def test_documents_cannot_be_provided_once_accepted_or_declined(tmp_path):
    service = _service(tmp_path)
    app_id = _conditional(service, score=780)
    service.accept(app_id, "usr_1", "1")
    with pytest.raises(Conflict, match="cannot take documents"):
        service.provide_document(app_id, "usr_1", CAR_DOCS[0])


def test_a_staff_conditional_approval_asks_for_the_policy_documents(tmp_path):
    service = _service(tmp_path)
    done = service.submit(
        "usr_1",
        ApplicantProfile.model_validate({**PROFILE, "credit_score": None}),  # referred
        LoanRequest(product="car", amount=Decimal(20000), tenure_months=48),
        idempotency_key=None,
    )
    assert done.record.status == S.UNDER_REVIEW
    record = service.review(done.record.application_id, "staff_1", "conditionally_approved")
    assert [c.name for c in service.documents(record)] == CAR_DOCS
