"""API unit, part 2: the REST API in front of the function, with its authoriser and WAF.

Why API Gateway (REST) and not a function URL behind CloudFront: REST APIs stream Lambda
responses (`ResponseTransferMode.STREAM`, up to 15 minutes), so the SSE chat needs no second
path, and only the gateway gives, per route and before the function runs, a Cognito
authoriser, request validation, stage throttling and a regional WAF. A function URL offers
IAM auth or none; the token check would then happen only inside the app, and throttling and
WAF would have to sit on CloudFront (whose WAF must live in us-east-1). CloudFront still
fronts the gateway (`infra.units.frontend`) so the UI and the API share one origin.

Public routes are the health probes, the JWKS and the auth configuration the sign-in page
reads; every other route (`/v1/{proxy+}`) requires a Cognito ID token, and the gateway rejects
a request without an `Authorization` header before invoking anything. Body validation stays
with the app's pydantic schemas (one owner of the request shapes, RFC 9457 problem answers).
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from infra.config import StageConfig
from infra.nag import accept

STAGE_NAME = "api"
PUBLIC_ROUTES = (
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/.well-known/jwks.json"),
    ("GET", "/v1/auth/config"),
)
CORS_HEADERS = ["Authorization", "Content-Type", "Idempotency-Key", "Last-Event-ID"]


class ApiGateway(Construct):
    """REST API: streamed Lambda proxy, Cognito authoriser, throttling, CORS, WAF."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: StageConfig,
        handler: lambda_.IFunction,
        user_pool: cognito.IUserPool,
    ) -> None:
        super().__init__(scope, construct_id)
        access_logs = logs.LogGroup(
            self,
            "AccessLogs",
            retention=logs.RetentionDays.ONE_YEAR,
            removal_policy=cdk.RemovalPolicy.RETAIN
            if config.retain_data
            else cdk.RemovalPolicy.DESTROY,
        )
        self.api = apigw.RestApi(
            self,
            "RestApi",
            rest_api_name=f"loan-advisor-{config.name}",
            description="Loan Advisor API (FastAPI on Lambda, streamed)",
            endpoint_types=[apigw.EndpointType.REGIONAL],
            cloud_watch_role=True,
            deploy_options=apigw.StageOptions(
                stage_name=STAGE_NAME,
                throttling_rate_limit=config.api.throttle_rate_per_second,
                throttling_burst_limit=config.api.throttle_burst,
                logging_level=apigw.MethodLoggingLevel.ERROR,
                data_trace_enabled=False,  # bodies carry personal data
                metrics_enabled=True,
                tracing_enabled=True,
                access_log_destination=apigw.LogGroupLogDestination(access_logs),
                access_log_format=apigw.AccessLogFormat.json_with_standard_fields(
                    caller=False,
                    http_method=True,
                    ip=True,
                    protocol=True,
                    request_time=True,
                    resource_path=True,
                    response_length=True,
                    status=True,
                    user=True,
                ),
            ),
            default_cors_preflight_options=apigw.CorsOptions(
                allow_origins=[config.ui_origin],
                allow_methods=["GET", "POST", "PUT", "DELETE", "OPTIONS"],
                allow_headers=CORS_HEADERS,
                max_age=cdk.Duration.hours(1),
            ),
        )
        for response in (apigw.ResponseType.DEFAULT_4_XX, apigw.ResponseType.DEFAULT_5_XX):
            self.api.add_gateway_response(
                f"Cors{response.response_type}",
                type=response,
                response_headers={"Access-Control-Allow-Origin": f"'{config.ui_origin}'"},
            )
        integration = apigw.LambdaIntegration(
            handler,
            proxy=True,
            response_transfer_mode=apigw.ResponseTransferMode.STREAM,
            timeout=cdk.Duration.seconds(config.api.timeout_seconds),
        )
        self.authorizer = apigw.CognitoUserPoolsAuthorizer(
            self, "Authorizer", cognito_user_pools=[user_pool]
        )
        validator = self.api.add_request_validator(
            "RequireToken", validate_request_parameters=True, validate_request_body=False
        )
        for method, path in PUBLIC_ROUTES:
            public = self.api.root.resource_for_path(path).add_method(
                method, integration, authorization_type=apigw.AuthorizationType.NONE
            )
            accept(
                public,
                {
                    "APIG4": "Public by design: health probes, the JWKS and the sign-in config",
                    "COG4": "Public by design: health probes, the JWKS and the sign-in config",
                },
            )
        protected = self.api.root.resource_for_path("/v1").add_resource("{proxy+}")
        protected.add_method(
            "ANY",
            integration,
            authorizer=self.authorizer,
            authorization_type=apigw.AuthorizationType.COGNITO,
            request_validator=validator,
            request_parameters={"method.request.header.Authorization": True},
        )
        accept(
            self.api,
            {
                "APIG2": "Parameters are validated at the gateway (a token is required); bodies "
                "by the app's pydantic schemas, the one owner of request shapes",
                "IAM4": "AmazonAPIGatewayPushToCloudWatchLogs is AWS's role for API logging",
            },
        )
        self.web_acl = self._web_acl(config)
        wafv2.CfnWebACLAssociation(
            self,
            "WafAssociation",
            resource_arn=self.api.deployment_stage.stage_arn,
            web_acl_arn=self.web_acl.attr_arn,
        )

    def _web_acl(self, config: StageConfig) -> wafv2.CfnWebACL:
        def visibility(name: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
            return wafv2.CfnWebACL.VisibilityConfigProperty(
                cloud_watch_metrics_enabled=True, metric_name=name, sampled_requests_enabled=True
            )

        def managed(
            name: str, priority: int, *, excluded: list[str] | None = None
        ) -> wafv2.CfnWebACL.RuleProperty:
            return wafv2.CfnWebACL.RuleProperty(
                name=name,
                priority=priority,
                override_action=wafv2.CfnWebACL.OverrideActionProperty(none={}),
                statement=wafv2.CfnWebACL.StatementProperty(
                    managed_rule_group_statement=wafv2.CfnWebACL.ManagedRuleGroupStatementProperty(
                        vendor_name="AWS",
                        name=name,
                        # Document uploads exceed the 8 KB body rule; the app caps their size.
                        rule_action_overrides=[
                            wafv2.CfnWebACL.RuleActionOverrideProperty(
                                name=rule,
                                action_to_use=wafv2.CfnWebACL.RuleActionProperty(count={}),
                            )
                            for rule in excluded or []
                        ]
                        or None,
                    )
                ),
                visibility_config=visibility(name),
            )

        rate_limit = wafv2.CfnWebACL.RuleProperty(
            name="RatePerIp",
            priority=0,
            action=wafv2.CfnWebACL.RuleActionProperty(block={}),
            statement=wafv2.CfnWebACL.StatementProperty(
                rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                    limit=config.api.waf_requests_per_5_minutes_per_ip, aggregate_key_type="IP"
                )
            ),
            visibility_config=visibility("RatePerIp"),
        )
        return wafv2.CfnWebACL(
            self,
            "WebAcl",
            scope="REGIONAL",
            default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
            visibility_config=visibility(f"loan-advisor-{config.name}-api"),
            rules=[
                rate_limit,
                managed("AWSManagedRulesAmazonIpReputationList", 1),
                managed("AWSManagedRulesCommonRuleSet", 2, excluded=["SizeRestrictions_BODY"]),
                managed("AWSManagedRulesKnownBadInputsRuleSet", 3),
            ],
        )
