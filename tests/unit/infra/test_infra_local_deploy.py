"""What `infra.local_deploy` strips, creates and resolves (moto in process, no server)."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from moto import mock_aws

from infra.local_deploy import (
    COGNITO,
    UNSUPPORTED,
    create_user_pool,
    deployable,
    function_environment,
)

TEMPLATE: dict[str, Any] = {
    "Parameters": {"BootstrapVersion": {"Type": "AWS::SSM::Parameter::Value<String>"}},
    "Rules": {"CheckBootstrapVersion": {"Assertions": []}},
    "Resources": {
        "Docs": {"Type": "AWS::S3::Bucket"},
        "DocsPolicy": {"Type": "AWS::S3::BucketPolicy", "Properties": {"Bucket": {"Ref": "Docs"}}},
        "Pool": {"Type": "AWS::Cognito::UserPool"},
        "Reader": {"Type": "AWS::IAM::Role", "DependsOn": ["DocsPolicy", "Docs"]},
        "Writer": {"Type": "AWS::IAM::Role", "DependsOn": "Pool"},
    },
    "Outputs": {
        "DocsName": {"Value": {"Ref": "Docs"}, "Export": {"Name": "x:docs"}},
        "PoolId": {"Value": {"Ref": "Pool"}, "Export": {"Name": "x:pool"}},
    },
}


def test_deployable_strips_the_named_types_and_what_points_at_them():
    body, stripped = deployable(TEMPLATE)
    assert stripped == ["DocsPolicy", "Pool"]
    assert set(body["Resources"]) == {"Docs", "Reader", "Writer"}
    assert body["Resources"]["Reader"]["DependsOn"] == ["Docs"]
    assert "DependsOn" not in body["Resources"]["Writer"]
    assert set(body["Outputs"]) == {"DocsName"}
    assert "Parameters" not in body and "Rules" not in body
    assert "DocsPolicy" in TEMPLATE["Resources"], "the synthesised template is left as it was"
    assert all(len(reason) > 40 for reason in UNSUPPORTED.values())


def test_the_data_stack_loses_only_its_bucket_policies(synth):
    template = synth.templates["LoanAdvisor-staging-Data"]
    _, stripped = deployable(template)
    types = {template["Resources"][k]["Type"] for k in stripped}
    assert types == {"AWS::S3::BucketPolicy"}
    auth = synth.templates["LoanAdvisor-staging-Auth"]
    assert {r["Type"] for r in auth["Resources"].values()} <= COGNITO


@pytest.fixture
def idp(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        yield boto3.client("cognito-idp", region_name="eu-west-1")


def test_the_user_pool_is_built_from_the_auth_template(synth, idp):
    template = synth.templates["LoanAdvisor-staging-Auth"]
    exports = create_user_pool(idp, template, "eu-west-1")
    assert set(exports) == {o["Export"]["Name"] for o in template["Outputs"].values()}
    (pool,) = idp.list_user_pools(MaxResults=10)["UserPools"]
    assert pool["Name"] == "loan-advisor-staging"
    described = idp.describe_user_pool(UserPoolId=pool["Id"])["UserPool"]
    assert described["UsernameAttributes"] == ["email"]
    assert described["Policies"]["PasswordPolicy"]["MinimumLength"] == 12
    groups = {g["GroupName"] for g in idp.list_groups(UserPoolId=pool["Id"])["Groups"]}
    assert groups == {"applicant", "staff"}
    (client,) = idp.list_user_pool_clients(UserPoolId=pool["Id"])["UserPoolClients"]
    assert client["ClientName"] == "loan-advisor-web-staging"
    provider = f"https://cognito-idp.eu-west-1.amazonaws.com/{pool['Id']}"
    assert provider in exports.values() and client["ClientId"] in exports.values()


def test_the_function_environment_resolves_imports_and_names_the_rest(synth):
    template = synth.templates["LoanAdvisor-staging-Api"]
    data = synth.templates["LoanAdvisor-staging-Data"]["Outputs"]
    exports = {o["Export"]["Name"]: f"value-of-{key}" for key, o in data.items()}
    env, missing = function_environment(template, exports)
    assert env["LOAN_ADVISOR_MODE"] == "aws"
    assert env["LOAN_ADVISOR_DOCUMENTS_BUCKET"].startswith(
        "value-of-ExportsOutputRefStoreDocuments"
    )
    assert env["LOAN_ADVISOR_DYNAMODB_TABLE_PREFIX"] == "loan-advisor-staging"
    assert missing == {
        "LOAN_ADVISOR_OPENSEARCH_URL",
        "LOAN_ADVISOR_COGNITO_ISSUER",
        "LOAN_ADVISOR_COGNITO_JWKS_URL",
        "LOAN_ADVISOR_COGNITO_CLIENT_ID",
        "LOAN_ADVISOR_COGNITO_USER_POOL_ID",
    }
