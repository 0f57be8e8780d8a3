"""The API: authoriser on every non-public route, streaming, throttling, CORS, WAF, canary."""

from __future__ import annotations

from core.config import Settings


def _resource_paths(synth, stage):
    resources = synth.resources(stage, "Api", "AWS::ApiGateway::Resource")
    api_id = next(iter(synth.resources(stage, "Api", "AWS::ApiGateway::RestApi")))

    def path(ref):
        if ref == {"Fn::GetAtt": [api_id, "RootResourceId"]}:
            return ""
        props = resources[ref["Ref"]]["Properties"]
        return f"{path(props['ParentId'])}/{props['PathPart']}"

    return path


def test_the_authoriser_guards_every_non_public_route(synth, stage):
    from infra.units.api_gateway import PUBLIC_ROUTES  # aws_cdk only once the tests run

    path_of = _resource_paths(synth, stage)
    methods = synth.resources(stage, "Api", "AWS::ApiGateway::Method").values()
    public, protected = set(), set()
    for method in methods:
        props = method["Properties"]
        verb, path = props["HttpMethod"], path_of(props["ResourceId"]) or "/"
        if verb == "OPTIONS":  # CORS preflight: answered by the gateway, no integration call
            assert props["Integration"]["Type"] == "MOCK"
            continue
        if props["AuthorizationType"] == "NONE":
            public.add((verb, path))
        else:
            assert props["AuthorizationType"] == "COGNITO_USER_POOLS"
            assert "AuthorizerId" in props
            assert props["RequestParameters"] == {"method.request.header.Authorization": True}
            assert "RequestValidatorId" in props
            protected.add((verb, path))
    assert public == set(PUBLIC_ROUTES)
    assert protected == {("ANY", "/v1/{proxy+}")}


def test_the_authoriser_is_the_stage_user_pool(synth, stage):
    template = synth.template(stage, "Api")
    authorisers = synth.resources(stage, "Api", "AWS::ApiGateway::Authorizer")
    (authoriser,) = authorisers.values()
    assert authoriser["Properties"]["Type"] == "COGNITO_USER_POOLS"
    assert "Fn::ImportValue" in str(authoriser["Properties"]["ProviderARNs"])
    template.resource_count_is("AWS::ApiGateway::Authorizer", 1)


def test_every_integration_streams_from_the_live_alias(synth, stage):
    for method in synth.resources(stage, "Api", "AWS::ApiGateway::Method").values():
        integration = method["Properties"]["Integration"]
        if integration["Type"] == "MOCK":
            continue
        assert integration["Type"] == "AWS_PROXY"
        assert integration["ResponseTransferMode"] == "STREAM"
        assert "response-streaming-invocations" in str(integration["Uri"])
        assert "Alias" in str(integration["Uri"]) or "Live" in str(integration["Uri"])


def test_stage_throttling_matches_the_config(synth, stage):
    rate, burst = {"staging": (20, 40), "prod": (200, 400)}[stage]
    (api_stage,) = synth.resources(stage, "Api", "AWS::ApiGateway::Stage").values()
    settings = api_stage["Properties"]["MethodSettings"][0]
    assert settings["ThrottlingRateLimit"] == rate
    assert settings["ThrottlingBurstLimit"] == burst
    assert settings.get("DataTraceEnabled") is False


def test_cors_allows_only_the_ui_origin(synth, stage):
    origin = {"staging": "staging.loan-advisor.example.com", "prod": "loan-advisor.example.com"}
    options = [
        m
        for m in synth.resources(stage, "Api", "AWS::ApiGateway::Method").values()
        if m["Properties"]["HttpMethod"] == "OPTIONS"
    ]
    assert options
    for method in options:
        headers = method["Properties"]["Integration"]["IntegrationResponses"][0][
            "ResponseParameters"
        ]
        assert headers["method.response.header.Access-Control-Allow-Origin"] == (
            f"'https://{origin[stage]}'"
        )


def test_waf_protects_the_api_stage(synth, stage):
    template = synth.template(stage, "Api")
    (acl,) = synth.resources(stage, "Api", "AWS::WAFv2::WebACL").values()
    assert acl["Properties"]["Scope"] == "REGIONAL"
    names = {r["Name"] for r in acl["Properties"]["Rules"]}
    assert {"RatePerIp", "AWSManagedRulesCommonRuleSet"} <= names
    template.resource_count_is("AWS::WAFv2::WebACLAssociation", 1)


def test_the_function_environment_uses_real_settings_names(synth, stage):
    (function,) = synth.resources(stage, "Api", "AWS::Lambda::Function").values()
    env = function["Properties"]["Environment"]["Variables"]
    fields = set(Settings.model_fields)
    ours = {k for k in env if k.startswith("LOAN_ADVISOR_")}
    assert ours, env
    unknown = {k for k in ours if k.removeprefix("LOAN_ADVISOR_").lower() not in fields}
    assert not unknown
    assert env["LOAN_ADVISOR_MODE"] == "aws"
    assert env["LOAN_ADVISOR_STORE"] == "dynamodb"
    assert env["LOAN_ADVISOR_SCORER"] == "sagemaker"
    assert env["LOAN_ADVISOR_KB_INDEX"] == "opensearch"
    assert env["LOAN_ADVISOR_PROVIDER"].startswith("bedrock:")
    assert "LOAN_ADVISOR_JWT_SECRET" not in env  # Cognito signs every token in AWS mode
    assert env["POWERTOOLS_METRICS_NAMESPACE"] == "LoanAdvisor"


def test_the_settings_parse_the_function_environment(synth, monkeypatch):
    (function,) = synth.resources("prod", "Api", "AWS::Lambda::Function").values()
    env = function["Properties"]["Environment"]["Variables"]
    for key, value in env.items():
        if key.startswith("LOAN_ADVISOR_"):
            monkeypatch.setenv(key, value if isinstance(value, str) else "resolved-at-deploy-x")
    settings = Settings(_env_file=None)
    assert settings.cors_origins == ["https://loan-advisor.example.com"]
    assert settings.dynamodb_table_prefix == "loan-advisor"


def test_the_live_alias_deploys_by_canary_and_rolls_back_on_alarm(synth):
    template = synth.template("prod", "Api")
    (group,) = synth.resources("prod", "Api", "AWS::CodeDeploy::DeploymentGroup").values()
    props = group["Properties"]
    assert props["AutoRollbackConfiguration"]["Enabled"] is True
    assert set(props["AutoRollbackConfiguration"]["Events"]) >= {
        "DEPLOYMENT_FAILURE",
        "DEPLOYMENT_STOP_ON_ALARM",
    }
    assert props["AlarmConfiguration"]["Enabled"] is True
    assert "Canary10Percent5Minutes" in str(props["DeploymentConfigName"])
    (alias,) = synth.resources("prod", "Api", "AWS::Lambda::Alias").values()
    assert alias["UpdatePolicy"]["CodeDeployLambdaAliasUpdate"]
    assert alias["Properties"]["ProvisionedConcurrencyConfig"] == {
        "ProvisionedConcurrentExecutions": 2
    }
    template.resource_count_is("AWS::Lambda::Version", 1)


def test_cloudfront_serves_the_ui_and_forwards_the_api_uncached(synth, stage):
    (dist,) = synth.resources(stage, "Api", "AWS::CloudFront::Distribution").values()
    config = dist["Properties"]["DistributionConfig"]
    paths = {b["PathPattern"] for b in config["CacheBehaviors"]}
    assert {"/v1/*", "/healthz", "/readyz"} <= paths
    assert all(b["ViewerProtocolPolicy"] == "https-only" for b in config["CacheBehaviors"])
    assert "CustomErrorResponses" not in config  # API errors must not become index.html
    (policy,) = synth.resources(stage, "Api", "AWS::CloudFront::CachePolicy").values()
    params = policy["Properties"]["CachePolicyConfig"]
    assert params["DefaultTTL"] == 0
    headers = params["ParametersInCacheKeyAndForwardedToOrigin"]["HeadersConfig"]
    assert headers["Headers"] == ["Authorization"]
