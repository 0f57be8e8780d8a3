"""`loan-advisor aws bootstrap` creates every table and the bucket once (moto, in-process)."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws
from typer.testing import CliRunner

from cli.main import app
from core.config import get_settings
from storage.dynamodb_tables import SPECS

REGION = "eu-west-1"


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path) -> Iterator[None]:
    env = {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "LOAN_ADVISOR_MODE": "aws",
        "LOAN_ADVISOR_KB_INDEX": "embedded",  # the OpenSearch step runs in test_aws_mode.py
        "LOAN_ADVISOR_AWS_REGION": REGION,
        "LOAN_ADVISOR_DYNAMODB_TABLE_PREFIX": "boot",
        "LOAN_ADVISOR_DOCUMENTS_BUCKET": "boot-docs",
        "LOAN_ADVISOR_VAR_DIR": str(tmp_path),
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    with mock_aws():
        yield
    get_settings.cache_clear()


def test_bootstrap_creates_tables_ttl_and_bucket_then_is_a_no_op(aws_env):
    first = CliRunner().invoke(app, ["aws", "bootstrap"])
    assert first.exit_code == 0, first.output
    names = [f"boot-{spec.suffix}" for spec in SPECS]
    for name in names:
        assert f"table {name}: created" in first.output
    assert "bucket boot-docs: created" in first.output
    dynamodb = boto3.client("dynamodb", region_name=REGION)
    assert sorted(dynamodb.list_tables()["TableNames"]) == sorted(names)
    records = dynamodb.describe_table(TableName="boot-records")["Table"]
    assert {g["IndexName"] for g in records["GlobalSecondaryIndexes"]} == {"gsi1", "gsi2"}
    assert records["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    ttl = dynamodb.describe_time_to_live(TableName="boot-llm-cache")["TimeToLiveDescription"]
    assert (ttl["TimeToLiveStatus"], ttl["AttributeName"]) == ("ENABLED", "expires")
    s3 = boto3.client("s3", region_name=REGION)
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["boot-docs"]
    again = CliRunner().invoke(app, ["aws", "bootstrap"])
    assert again.exit_code == 0, again.output
    assert again.output.count(": exists") == len(names) + 1
    assert "created" not in again.output


def test_serving_does_not_create_tables(aws_env, tmp_path):
    """Without bootstrap the store is missing: serving never creates it as a side effect."""
    from api.backends import build_repositories
    from core.clock import SystemClock

    repos = build_repositories(get_settings(), SystemClock())
    with pytest.raises(Exception, match="non-existent table|ResourceNotFound"):
        repos.ping()
    assert boto3.client("dynamodb", region_name=REGION).list_tables()["TableNames"] == []


def test_local_settings_have_nothing_to_create(monkeypatch, tmp_path):
    monkeypatch.setenv("LOAN_ADVISOR_VAR_DIR", str(tmp_path))
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["aws", "bootstrap"])
    get_settings.cache_clear()
    assert result.exit_code == 0
    assert "nothing to create" in result.output
