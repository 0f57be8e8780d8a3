"""create_app refuses settings it cannot serve with: one line naming the setting, no traceback."""

from __future__ import annotations

import pytest

from api.main import create_app
from core.config import Settings


def test_create_app_in_aws_mode_without_cognito_exits_with_one_line(tmp_path):
    with pytest.raises(SystemExit) as exit_:
        create_app(Settings(var_dir=tmp_path, mode="aws"))
    message = str(exit_.value.code)
    assert message.startswith("loan-advisor: LOAN_ADVISOR_COGNITO_ISSUER is not set")
    assert "\n" not in message
    assert exit_.value.__cause__ is None and exit_.value.__suppress_context__


def test_create_app_in_aws_mode_names_the_next_missing_cognito_setting(tmp_path):
    settings = Settings(var_dir=tmp_path, mode="aws", cognito_issuer="https://idp.example")
    with pytest.raises(SystemExit, match="LOAN_ADVISOR_COGNITO_JWKS_URL is not set"):
        create_app(settings)
