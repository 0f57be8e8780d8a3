import pytest
from pydantic import ValidationError

from core.config import ConfigError, Settings

COGNITO = {
    "cognito_issuer": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Ab12",
    "cognito_jwks_url": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Ab12/jwks.json",
    "cognito_client_id": "client123",
}


def test_local_mode_serves_without_cognito():
    Settings(mode="local").check_serving()


@pytest.mark.parametrize("missing", sorted(COGNITO))
def test_aws_mode_refuses_to_serve_without_each_cognito_setting(missing):
    settings = Settings(mode="aws", **{k: v for k, v in COGNITO.items() if k != missing})
    with pytest.raises(ConfigError, match=f"LOAN_ADVISOR_{missing.upper()} is not set") as err:
        settings.check_serving()
    assert "\n" not in str(err.value)


def test_aws_mode_with_cognito_serves():
    Settings(mode="aws", **COGNITO).check_serving()


def test_aws_mode_refuses_a_local_staff_seed():
    settings = Settings(
        mode="aws", staff_email="s@example.com", staff_password="a-long-real-password", **COGNITO
    )
    with pytest.raises(ConfigError, match="LOAN_ADVISOR_STAFF_EMAIL"):
        settings.check_serving()


@pytest.mark.parametrize("password", ["change-me", "Password", "admin", "short-pw"])
def test_placeholder_staff_passwords_are_refused_in_every_mode(password):
    with pytest.raises(ValidationError, match="LOAN_ADVISOR_STAFF_PASSWORD"):
        Settings(staff_email="s@example.com", staff_password=password)


def test_aws_mode_defaults_every_backend_to_its_aws_service(monkeypatch):
    monkeypatch.setenv("LOAN_ADVISOR_MODE", "aws")
    monkeypatch.setenv("LOAN_ADVISOR_SCORER", "http")  # one backend chosen explicitly
    settings = Settings()
    assert (settings.store, settings.kb_index, settings.scorer) == (
        "dynamodb",
        "opensearch",
        "http",
    )
    assert settings.provider.startswith("bedrock:")
    monkeypatch.delenv("LOAN_ADVISOR_SCORER")
    local = Settings(mode="local")
    assert (local.store, local.kb_index, local.scorer) == ("sqlite", "embedded", "inprocess")


def test_unused_jwt_secret_setting_is_gone():
    assert "jwt_secret" not in Settings.model_fields


def test_env_prefix_and_bounds(monkeypatch):
    monkeypatch.setenv("LOAN_ADVISOR_PORT", "70000")
    with pytest.raises(ValidationError, match="port"):
        Settings()
