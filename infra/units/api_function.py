"""API unit, part 1: the FastAPI app as a Lambda function with least-privilege access.

The function runs the Lambda Web Adapter image (`infra/api_lambda/Dockerfile`): uvicorn serves
the unchanged app and the adapter streams its responses, so the chat's SSE reaches the client
as it is written. Each deploy publishes a version; the `live` alias is what the gateway calls,
and CodeDeploy shifts it to a new version by canary, rolling back when a rollback alarm fires.

The role gets exactly what the app uses: item-level access to the stage's four tables and
their indexes, object access to the documents bucket, invoke on the one scoring endpoint,
Bedrock invoke on the configured model ids, and signed HTTP to the KB domain.
"""

from __future__ import annotations

import json

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_codedeploy as codedeploy
from aws_cdk import aws_dynamodb as ddb
from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from constructs import Construct

from infra.config import StageConfig
from infra.nag import accept

# The item operations the repositories, the checkpointer and the cache issue (transactions
# are authorised per contained operation; DescribeTable serves the readiness probe).
TABLE_ACTIONS = [
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:Scan",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:DescribeTable",
]
BUCKET_OBJECT_ACTIONS = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
BEDROCK_ACTIONS = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]
# Cross-region inference profiles carry a geography prefix; the model id follows it.
_PROFILE_PREFIXES = ("us.", "eu.", "apac.", "us-gov.", "global.")


def bedrock_resources(model_id: str, region: str, account: str) -> list[str]:
    """Return the ARNs one Bedrock model id needs: the model, or a profile and its model."""
    for prefix in _PROFILE_PREFIXES:
        if model_id.startswith(prefix):
            base = model_id.removeprefix(prefix)
            return [
                f"arn:aws:bedrock:{region}:{account}:inference-profile/{model_id}",
                # A profile routes to the model in any region of its geography.
                f"arn:aws:bedrock:*::foundation-model/{base}",
            ]
    return [f"arn:aws:bedrock:{region}::foundation-model/{model_id}"]


class ApiFunction(Construct):
    """The API function, its live alias and the canary deployment group."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: StageConfig,
        role: iam.IRole,
        repository: ecr.IRepository,
        image_tag: str,
        tables: list[ddb.ITable],
        documents: s3.IBucket,
        scoring_endpoint_arn: str,
        search_statement: iam.PolicyStatement,
        environment: dict[str, str],
    ) -> None:
        super().__init__(scope, construct_id)
        stack = cdk.Stack.of(self)
        self.log_group = logs.LogGroup(
            self,
            "Logs",
            retention=_retention(config.api.log_retention_days),
            removal_policy=cdk.RemovalPolicy.RETAIN
            if config.retain_data
            else cdk.RemovalPolicy.DESTROY,
        )
        # No signing secret: in AWS mode Cognito issues every token (Settings has none).
        env = dict(environment)
        self.function = lambda_.DockerImageFunction(
            self,
            "Function",
            description=f"Loan Advisor API ({config.name})",
            code=lambda_.DockerImageCode.from_ecr(repository, tag_or_digest=image_tag),
            role=role,
            architecture=lambda_.Architecture.X86_64,
            memory_size=config.api.memory_mb,
            timeout=cdk.Duration.seconds(config.api.timeout_seconds),
            reserved_concurrent_executions=config.api.reserved_concurrency,
            environment=env,
            log_group=self.log_group,
            tracing=lambda_.Tracing.ACTIVE,
        )
        self.alias = lambda_.Alias(
            self,
            "Live",
            alias_name="live",
            version=self.function.current_version,
            provisioned_concurrent_executions=config.api.provisioned_concurrency or None,
        )
        policy = iam.Policy(
            self,
            "Access",
            statements=self._statements(
                config, stack, tables, documents, scoring_endpoint_arn, search_statement
            ),
        )
        policy.attach_to_role(role)
        accept(
            policy,
            {
                "IAM5": "Wildcards only below named resources: the indexes of the stage's four "
                "tables, objects of the documents bucket, index paths of the KB domain, and "
                "the configured Bedrock model in the regions its inference profile routes to",
            },
        )
        self.function.node.add_dependency(policy)
        self.rollback_alarms = [
            cloudwatch.Alarm(
                self,
                "RollbackErrors",
                alarm_name=f"loan-advisor-{config.name}-api-rollback-errors",
                alarm_description="Canary rollback: the live alias raised errors",
                metric=self.alias.metric_errors(period=cdk.Duration.minutes(1)),
                threshold=1,
                evaluation_periods=1,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            )
        ]
        self.deployment_group = codedeploy.LambdaDeploymentGroup(
            self,
            "Deployment",
            application=codedeploy.LambdaApplication(
                self, "Application", application_name=f"loan-advisor-{config.name}-api"
            ),
            deployment_group_name="live",
            alias=self.alias,
            deployment_config=getattr(codedeploy.LambdaDeploymentConfig, config.api.canary),
            alarms=list(self.rollback_alarms),
            auto_rollback=codedeploy.AutoRollbackConfig(
                failed_deployment=True, stopped_deployment=True, deployment_in_alarm=True
            ),
        )
        accept(
            self.deployment_group,
            {"IAM4": "AWSCodeDeployRoleForLambdaLimited is AWS's scoped role for Lambda canaries"},
        )

    def _statements(
        self,
        config: StageConfig,
        stack: cdk.Stack,
        tables: list[ddb.ITable],
        documents: s3.IBucket,
        scoring_endpoint_arn: str,
        search_statement: iam.PolicyStatement,
    ) -> list[iam.PolicyStatement]:
        table_arns = [t.table_arn for t in tables]
        bedrock_region = config.bedrock_region or config.region
        return [
            iam.PolicyStatement(
                sid="Tables",
                actions=TABLE_ACTIONS,
                resources=[*table_arns, *(f"{arn}/index/*" for arn in table_arns)],
            ),
            iam.PolicyStatement(
                sid="DocumentObjects",
                actions=BUCKET_OBJECT_ACTIONS,
                resources=[documents.arn_for_objects("*")],
            ),
            iam.PolicyStatement(
                sid="DocumentList", actions=["s3:ListBucket"], resources=[documents.bucket_arn]
            ),
            iam.PolicyStatement(
                sid="Scoring",
                actions=["sagemaker:InvokeEndpoint"],
                resources=[scoring_endpoint_arn],
            ),
            iam.PolicyStatement(
                sid="Bedrock",
                actions=BEDROCK_ACTIONS,
                resources=[
                    arn
                    for model_id in config.bedrock_model_ids
                    for arn in bedrock_resources(model_id, bedrock_region, stack.account)
                ],
            ),
            search_statement,
            iam.PolicyStatement(
                sid="Logs",
                actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                resources=[self.log_group.log_group_arn],
            ),
        ]


_RETENTION = {
    1: logs.RetentionDays.ONE_DAY,
    3: logs.RetentionDays.THREE_DAYS,
    7: logs.RetentionDays.ONE_WEEK,
    14: logs.RetentionDays.TWO_WEEKS,
    30: logs.RetentionDays.ONE_MONTH,
    90: logs.RetentionDays.THREE_MONTHS,
    180: logs.RetentionDays.SIX_MONTHS,
    365: logs.RetentionDays.ONE_YEAR,
    731: logs.RetentionDays.TWO_YEARS,
    1827: logs.RetentionDays.FIVE_YEARS,
    3653: logs.RetentionDays.TEN_YEARS,
}


def _retention(days: int) -> logs.RetentionDays:
    """Return the shortest CloudWatch retention keeping logs at least `days` days."""
    return next((v for k, v in _RETENTION.items() if k >= days), logs.RetentionDays.TEN_YEARS)


def cors_origins(config: StageConfig) -> str:
    """Return `LOAN_ADVISOR_CORS_ORIGINS` as pydantic-settings parses a list (JSON)."""
    return json.dumps([config.ui_origin])
