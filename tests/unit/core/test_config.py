import pytest
from pydantic import ValidationError

from core.config import PLACEHOLDER_SECRET, Settings


def test_local_mode_accepts_placeholder_secret():
    assert Settings(mode="local").jwt_secret.get_secret_value() == PLACEHOLDER_SECRET


def test_aws_mode_refuses_placeholder_secret():
    with pytest.raises(ValidationError, match="LOAN_ADVISOR_JWT_SECRET"):
        Settings(mode="aws")


def test_aws_mode_with_real_secret(monkeypatch):
    monkeypatch.setenv("LOAN_ADVISOR_JWT_SECRET", "a-real-secret-from-the-vault")
    monkeypatch.setenv("LOAN_ADVISOR_MODE", "aws")
    assert Settings().mode == "aws"


def test_env_prefix_and_bounds(monkeypatch):
    monkeypatch.setenv("LOAN_ADVISOR_PORT", "70000")
    with pytest.raises(ValidationError, match="port"):
        Settings()
