"""The staging templates deployed to moto server, and the product run against what they made.

The data stack's synthesised template goes through moto's CloudFormation (tables, buckets, the
API role; bucket policies stripped, see `infra.local_deploy.UNSUPPORTED`); the auth stack's user
pool, client, groups and domain are created from its template with the cognito-idp API (moto's
CloudFormation has no Cognito). The API function's environment is then read from the API stack's
template and resolved against the deployed stacks' exports, exactly as CloudFormation would fill
it in; only what lives in stacks moto cannot run (the OpenSearch domain, the SageMaker endpoint)
and the stand-ins' endpoints are supplied by the test. `loan-advisor aws bootstrap` must find
every table and the bucket already there, and the AWS-mode scenario of `test_aws_mode.py` must
pass on them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from typer.testing import CliRunner

from api.main import create_app
from cli.main import app as cli_app
from core.config import get_settings
from infra.local_deploy import Template, create_user_pool, deploy, function_environment
from storage.dynamodb_tables import SPECS
from tests.fakes.chat_models import FakeBedrockChatModel
from tests.integration.test_api_aws_auth import moto  # noqa: F401 - fixture
from tests.integration.test_aws_mode import (  # noqa: F401 - fixtures
    _check_offers,
    _scenario,
    opensearch_url,
    registry,
    scoring_url,
)

pytestmark = pytest.mark.integration
STAGE = "staging"
REGION = "eu-west-1"  # the stage's region in infra/stages.yaml
PASSWORD = "Correct-Horse-1!-staging"  # meets the template's password policy
# Settings the stand-ins replace: endpoints of moto / osmem / the scoring server, and the stack
# moto cannot deploy (the OpenSearch domain of the search stack).
NOT_FROM_DEPLOYED_STACKS = {"LOAN_ADVISOR_OPENSEARCH_URL"}


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Template]:
    """The staging stage's stacks, synthesised (no cdk-nag: the synth tests run it)."""
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "1")
    from infra.app import build_app

    outdir = str(tmp_path_factory.mktemp("cdk.out"))
    assembly = build_app(image_tag="0" * 40, stages=[STAGE], outdir=outdir, nag=False).synth()
    (stage,) = [n.nested_assembly for n in assembly.nested_assemblies]
    prefix = f"LoanAdvisor-{STAGE}-"
    return {s.stack_name.removeprefix(prefix): s.template for s in stage.stacks}


@dataclass
class Deployed:
    """What the stand-in now holds, and the API function's environment for it."""

    exports: dict[str, str]
    environment: dict[str, str]
    unresolved: set[str]
    resource_types: set[str]


@pytest.fixture(scope="module")
def deployed(moto: str, templates: dict[str, Template]) -> Deployed:  # noqa: F811
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "test")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "test")
    cfn = boto3.client("cloudformation", region_name=REGION, endpoint_url=moto)
    exports = deploy(cfn, f"LoanAdvisor-{STAGE}-Data", templates["Data"])
    resources = cfn.describe_stack_resources(StackName=f"LoanAdvisor-{STAGE}-Data")
    types = {r["ResourceType"] for r in resources["StackResources"]}
    idp = boto3.client("cognito-idp", region_name=REGION, endpoint_url=moto)
    exports |= create_user_pool(idp, templates["Auth"], REGION)
    environment, unresolved = function_environment(templates["Api"], exports)
    return Deployed(exports, environment, unresolved, types)


def test_the_data_stack_creates_the_tables_the_code_declares(moto: str, deployed: Deployed):  # noqa: F811
    assert deployed.resource_types == {
        "AWS::DynamoDB::Table",
        "AWS::S3::Bucket",
        "AWS::IAM::Role",
        "AWS::IAM::Policy",
    }
    prefix = deployed.environment["LOAN_ADVISOR_DYNAMODB_TABLE_PREFIX"]
    ddb = boto3.client("dynamodb", region_name=REGION, endpoint_url=moto)
    for spec in SPECS:
        table = ddb.describe_table(TableName=f"{prefix}-{spec.suffix}")["Table"]
        assert table["KeySchema"] == spec.request["KeySchema"], spec.suffix
        assert sorted(table["AttributeDefinitions"], key=str) == sorted(
            spec.request["AttributeDefinitions"], key=str
        ), spec.suffix
        found = {g["IndexName"]: g["KeySchema"] for g in table.get("GlobalSecondaryIndexes", [])}
        wanted = {
            g["IndexName"]: g["KeySchema"] for g in spec.request.get("GlobalSecondaryIndexes", [])
        }
        assert found == wanted, spec.suffix
    s3 = boto3.client("s3", region_name=REGION, endpoint_url=moto)
    s3.head_bucket(Bucket=deployed.environment["LOAN_ADVISOR_DOCUMENTS_BUCKET"])
    assert deployed.unresolved == NOT_FROM_DEPLOYED_STACKS


def _indexes(table: dict[str, Any]) -> dict[str, Any]:
    return {g["IndexName"]: g["KeySchema"] for g in table.get("GlobalSecondaryIndexes", [])}


@pytest.fixture
def deployed_env(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    moto: str,  # noqa: F811
    deployed: Deployed,
    scoring_url: str,  # noqa: F811
    opensearch_url: str,  # noqa: F811
) -> Iterator[dict[str, str]]:
    """The API function's environment from the template, pointed at the stand-ins."""
    env = dict(deployed.environment)
    pool_id = env["LOAN_ADVISOR_COGNITO_USER_POOL_ID"]
    assert env["LOAN_ADVISOR_COGNITO_ISSUER"].endswith(f"/{pool_id}")
    assert env["LOAN_ADVISOR_COGNITO_JWKS_URL"] == (
        env["LOAN_ADVISOR_COGNITO_ISSUER"] + "/.well-known/jwks.json"
    )
    env |= {
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_EC2_METADATA_DISABLED": "true",
        "LOAN_ADVISOR_VAR_DIR": str(tmp_path),  # the template's /tmp/var is Lambda's
        "LOAN_ADVISOR_DYNAMODB_ENDPOINT_URL": moto,
        "LOAN_ADVISOR_S3_ENDPOINT_URL": moto,
        "LOAN_ADVISOR_COGNITO_JWKS_URL": f"{moto}/{pool_id}/.well-known/jwks.json",
        "LOAN_ADVISOR_OPENSEARCH_URL": opensearch_url,
        "LOAN_ADVISOR_KB_SEARCH_MODE": "lexical",  # osmem-server has no k-NN
        "LOAN_ADVISOR_SAGEMAKER_ENDPOINT_URL": scoring_url,
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    boto3.setup_default_session()
    get_settings.cache_clear()
    yield env
    get_settings.cache_clear()
    boto3.setup_default_session()


def _sign_in(moto: str, env: dict[str, str], email: str, group: str | None = None) -> str:  # noqa: F811
    """Create a user of the deployed pool and return an access token for the template's client.

    The web app signs in with the hosted UI (code + PKCE); moto has no hosted UI, so the test
    uses the admin password flow, which moto does not restrict to the client's auth flows.
    """
    idp = boto3.client("cognito-idp", region_name=REGION, endpoint_url=moto)
    pool = env["LOAN_ADVISOR_COGNITO_USER_POOL_ID"]
    idp.admin_create_user(UserPoolId=pool, Username=email, MessageAction="SUPPRESS")
    idp.admin_set_user_password(UserPoolId=pool, Username=email, Password=PASSWORD, Permanent=True)
    if group:
        idp.admin_add_user_to_group(UserPoolId=pool, Username=email, GroupName=group)
    auth = idp.admin_initiate_auth(
        UserPoolId=pool,
        ClientId=env["LOAN_ADVISOR_COGNITO_CLIENT_ID"],
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": PASSWORD},
    )
    return str(auth["AuthenticationResult"]["AccessToken"])


def test_aws_mode_runs_on_the_deployed_stacks(moto: str, deployed_env: dict[str, str]):  # noqa: F811
    boot = CliRunner().invoke(cli_app, ["aws", "bootstrap"])
    assert boot.exit_code == 0, boot.output
    prefix = deployed_env["LOAN_ADVISOR_DYNAMODB_TABLE_PREFIX"]
    for spec in SPECS:  # created by the stack, so bootstrap finds them under the same names
        assert f"table {prefix}-{spec.suffix}: exists" in boot.output, boot.output
    assert f"bucket {deployed_env['LOAN_ADVISOR_DOCUMENTS_BUCKET']}: exists" in boot.output

    alice = _sign_in(moto, deployed_env, "alice@example.com")
    officer = _sign_in(moto, deployed_env, "officer@example.com", group="staff")
    bedrock = FakeBedrockChatModel()
    from fastapi.testclient import TestClient

    with TestClient(create_app(get_settings(), model=bedrock)) as client:
        roles = {
            who: client.get("/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
            for who, token in (("alice", alice), ("officer", officer))
        }
        assert roles["alice"].json()["role"] == "applicant", roles["alice"].text
        assert roles["officer"].json()["role"] == "staff"  # the template's group name

    outcome = _scenario(lambda: create_app(get_settings(), model=bedrock), lambda _: alice)
    _check_offers(outcome)
    records = boto3.resource("dynamodb", region_name=REGION, endpoint_url=moto).Table(
        f"{prefix}-records"
    )
    item = records.get_item(Key={"pk": f"APP#{outcome.application_id}", "sk": "META"})
    assert item.get("Item"), "the application lives in the stack's records table"
