"""An app on a temp var dir with a rule-based scorer and a fake knowledge base."""

from __future__ import annotations

import itertools

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from core.config import Settings
from tests.fakes.knowledge import FakeKnowledgeBase
from tests.fakes.scoring import RuleScorer

_n = itertools.count()

PROFILE = {
    "age": 35,
    "annual_income": "90000",
    "monthly_debt_payments": "500",
    "credit_score": 780,
    "employment_status": "Employed",
    "years_employed": 8,
    "savings_balance": "20000",
    "checking_balance": "5000",
    "home_ownership": "Rent",
    "marital_status": "Single",
    "num_dependents": 0,
    "education_level": "Bachelor's",
    "existing_loans": 0,
}
REQUEST = {"product": "car", "amount": "20000", "tenure_months": 48}


def application_body(**profile_changes):
    return {"profile": {**PROFILE, **profile_changes}, "request": dict(REQUEST)}


@pytest.fixture
def settings(tmp_path):
    return Settings(
        var_dir=tmp_path,
        staff_email="staff@example.com",
        staff_password="staff-password-1",
        max_upload_bytes=64 * 1024,
    )


@pytest.fixture
def client(settings):
    with TestClient(create_app(settings, scorer=RuleScorer(), knowledge=FakeKnowledgeBase())) as c:
        yield c


def sign_up(client, email=None):
    """Create an applicant, sign in, and return its Authorization header."""
    email = email or f"user{next(_n)}@example.com"
    creds = {"email": email, "password": "correct-horse-1"}
    r = client.post("/v1/auth/signup", json=creds)
    assert r.status_code == 202, r.text
    r = client.post("/v1/auth/login", json=creds)
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def log_in_staff(client):
    r = client.post(
        "/v1/auth/login", json={"email": "staff@example.com", "password": "staff-password-1"}
    )
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


@pytest.fixture
def alice(client):
    return sign_up(client)


@pytest.fixture
def bob(client):
    return sign_up(client)


@pytest.fixture
def staff(client):
    return log_in_staff(client)
