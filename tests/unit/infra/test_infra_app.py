"""The app: both stages synthesise from the typed config; search and auth as specified."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from infra.config import CONFIG_PATH, load_config

STACKS = ("Data", "Search", "Auth", "Ml", "Api", "Monitoring")


def test_both_stages_synthesise_every_stack(synth):
    for stage in ("staging", "prod"):
        for stack in STACKS:
            assert synth.templates[f"LoanAdvisor-{stage}-{stack}"]["Resources"]
    assert "LoanAdvisorRegistry" in synth.templates


def test_stacks_deploy_to_the_configured_accounts(synth):
    manifest = (synth.outdir / "manifest.json").read_text()
    assert "aws://111111111111/eu-west-1" in manifest
    for stage, account in (("staging", "222222222222"), ("prod", "333333333333")):
        nested = next(synth.outdir.glob(f"assembly-LoanAdvisor-{stage}/manifest.json"))
        assert f"aws://{account}/eu-west-1" in nested.read_text()


def test_the_search_domain_has_fgac_encryption_and_https(synth, stage):
    (domain,) = synth.resources(stage, "Search", "AWS::OpenSearchService::Domain").values()
    props = domain["Properties"]
    security = props["AdvancedSecurityOptions"]
    assert security["Enabled"] is True
    assert security["InternalUserDatabaseEnabled"] is False
    assert "MasterUserARN" in security["MasterUserOptions"]
    assert props["EncryptionAtRestOptions"]["Enabled"] is True
    assert props["NodeToNodeEncryptionOptions"]["Enabled"] is True
    assert props["DomainEndpointOptions"]["EnforceHTTPS"] is True
    assert props["EngineVersion"].startswith("OpenSearch_2")


def test_only_the_api_role_may_call_the_search_domain(synth, stage):
    (domain,) = synth.resources(stage, "Search", "AWS::OpenSearchService::Domain").values()
    (statement,) = domain["Properties"]["AccessPolicies"]["Statement"]
    assert statement["Effect"] == "Allow"
    assert "ApiRole" in str(statement["Principal"]["AWS"])
    assert all(a.startswith("es:ESHttp") for a in statement["Action"])
    assert f"domain/loan-advisor-{stage}/*" in str(statement["Resource"])
    assert set(domain["Properties"]["LogPublishingOptions"]) == {
        "SEARCH_SLOW_LOGS",
        "INDEX_SLOW_LOGS",
        "ES_APPLICATION_LOGS",
    }


def test_the_user_pool_has_applicant_and_staff_groups_and_a_public_client(synth, stage):
    groups = synth.resources(stage, "Auth", "AWS::Cognito::UserPoolGroup").values()
    assert {g["Properties"]["GroupName"] for g in groups} == {"applicant", "staff"}
    (client,) = synth.resources(stage, "Auth", "AWS::Cognito::UserPoolClient").values()
    props = client["Properties"]
    assert props.get("GenerateSecret") is False
    assert props["AllowedOAuthFlows"] == ["code"]
    (domain,) = synth.resources(stage, "Auth", "AWS::Cognito::UserPoolDomain").values()
    assert domain["Properties"]["Domain"].startswith("loan-advisor")


def test_the_registry_keeps_immutable_scanned_images(synth):
    repos = [
        r
        for r in synth.templates["LoanAdvisorRegistry"]["Resources"].values()
        if r["Type"] == "AWS::ECR::Repository"
    ]
    assert {r["Properties"]["RepositoryName"] for r in repos} == {
        "loan-advisor-api",
        "loan-advisor-scoring",
    }
    for repo in repos:
        assert repo["Properties"]["ImageTagMutability"] == "IMMUTABLE"
        assert repo["Properties"]["ImageScanningConfiguration"] == {"ScanOnPush": True}


def test_the_config_file_has_both_stages():
    config = load_config()
    assert set(config.stages) == {"staging", "prod"}
    assert config.stages["prod"].retain_data is True


def test_a_bad_config_names_the_field(tmp_path: Path):
    text = CONFIG_PATH.read_text().replace('account: "333333333333"', 'account: "33"')
    bad = tmp_path / "stages.yaml"
    bad.write_text(text)
    with pytest.raises(ValidationError, match="account"):
        load_config(bad)


def test_an_unknown_key_is_refused(tmp_path: Path):
    bad = tmp_path / "stages.yaml"
    bad.write_text(CONFIG_PATH.read_text().replace("retain_data: true", "retian_data: true"))
    with pytest.raises(ValidationError, match="retian_data"):
        load_config(bad)
