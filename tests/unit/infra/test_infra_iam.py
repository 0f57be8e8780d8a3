"""Least privilege: no wildcard actions, data access scoped to this stage's resources."""

from __future__ import annotations

import json

DATA_SERVICES = ("dynamodb", "s3", "sagemaker", "bedrock", "es", "secretsmanager", "kms")


def _statements(synth, stage):
    for name, template in synth.templates.items():
        if not name.startswith(f"LoanAdvisor-{stage}-"):
            continue
        for logical_id, res in template["Resources"].items():
            if res["Type"] == "AWS::IAM::Policy":
                for s in res["Properties"]["PolicyDocument"]["Statement"]:
                    yield name, logical_id, s
            if res["Type"] == "AWS::IAM::Role":
                for policy in res["Properties"].get("Policies", []):
                    for s in policy["PolicyDocument"]["Statement"]:
                        yield name, logical_id, s


def _actions(statement):
    actions = statement.get("Action", [])
    return [actions] if isinstance(actions, str) else actions


def test_no_statement_allows_every_action_of_a_data_service(synth, stage):
    for stack, logical_id, statement in _statements(synth, stage):
        for action in _actions(statement):
            assert action != "*", (stack, logical_id)
            service, _, verb = action.partition(":")
            if service in DATA_SERVICES:
                assert "*" not in verb, (stack, logical_id, action)


def test_data_actions_never_apply_to_every_resource(synth, stage):
    for stack, logical_id, statement in _statements(synth, stage):
        services = {a.partition(":")[0] for a in _actions(statement)}
        if services & set(DATA_SERVICES):
            resources = statement["Resource"]
            resources = resources if isinstance(resources, list) else [resources]
            assert "*" not in resources, (stack, logical_id, statement)


def _api_policy(synth, stage):
    (policy,) = (
        p
        for k, p in synth.resources(stage, "Api", "AWS::IAM::Policy").items()
        if k.startswith("FunctionAccess")
    )
    return {s.get("Sid"): s for s in policy["Properties"]["PolicyDocument"]["Statement"]}


def test_the_api_reaches_exactly_its_tables_bucket_endpoint_and_models(synth, stage):
    statements = _api_policy(synth, stage)
    tables = json.dumps(statements["Tables"]["Resource"])
    assert tables.count("Fn::ImportValue") == 8  # four tables and their indexes
    assert "DocumentsBucket" in json.dumps(statements["DocumentObjects"]["Resource"]).replace(
        "Store", ""
    ) or "Documents" in json.dumps(statements["DocumentObjects"]["Resource"])
    assert "ModelArtifacts" not in json.dumps(statements)  # the API never reads artefacts
    scoring = json.dumps(statements["Scoring"]["Resource"])
    assert f"endpoint/loan-advisor-scoring-{stage}" in scoring
    assert statements["Bedrock"]["Resource"] == [
        "arn:aws:bedrock:eu-west-1:"
        + {"staging": "222222222222", "prod": "333333333333"}[stage]
        + ":inference-profile/eu.anthropic.claude-3-7-sonnet-20250219-v1:0",
        "arn:aws:bedrock:*::foundation-model/anthropic.claude-3-7-sonnet-20250219-v1:0",
    ]


def test_bedrock_resources_of_a_plain_model_id_stay_in_region():
    from infra.units.api_function import bedrock_resources  # aws_cdk only once tests run

    assert bedrock_resources("amazon.nova-pro-v1:0", "eu-west-1", "123456789012") == [
        "arn:aws:bedrock:eu-west-1::foundation-model/amazon.nova-pro-v1:0"
    ]


def test_the_scoring_role_reads_only_its_model_artefact(synth, stage):
    text = json.dumps(synth.resources(stage, "Ml", "AWS::IAM::Policy"))
    assert "models/xgb-german-credit-v1/model.tar.gz" in text
    assert "capture/*" in text
