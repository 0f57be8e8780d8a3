"""Stacks: each composes units and wires their permissions; a stage deploys them in order.

Data → Search → Auth → Ml → Api → Monitoring. The API's execution role is created in the data
stack so the search domain can name it as its fine-grained master user; its permissions are an
`iam.Policy` in the API stack, which references the lower stacks and so avoids a cycle.
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_iam as iam
from constructs import Construct

from infra.alarm_rules import load_rules
from infra.config import InfraConfig, StageConfig
from infra.units.api_function import ApiFunction, cors_origins
from infra.units.api_gateway import ApiGateway
from infra.units.auth import Auth
from infra.units.data import DataStore
from infra.units.frontend import Frontend
from infra.units.ml import ScoringEndpoint
from infra.units.monitoring import Monitoring
from infra.units.search import KbSearch


def image_repository(
    scope: Construct, construct_id: str, infra: InfraConfig, name: str
) -> ecr.IRepository:
    """Return a repository of the registry account (images are built once, promoted)."""
    arn = f"arn:aws:ecr:{infra.registry_region}:{infra.registry_account}:repository/{name}"
    return ecr.Repository.from_repository_attributes(
        scope, construct_id, repository_arn=arn, repository_name=name
    )


class DataStack(cdk.Stack):
    """Tables, buckets and the API's execution role."""

    def __init__(
        self, scope: Construct, construct_id: str, *, config: StageConfig, **kw: object
    ) -> None:
        super().__init__(scope, construct_id, **kw)  # type: ignore[arg-type]
        self.store = DataStore(
            self,
            "Store",
            table_prefix=config.table_prefix,
            retain=config.retain_data,
            capture_retention_days=config.ml.capture_retention_days,
        )
        self.api_role = iam.Role(
            self,
            "ApiRole",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="Loan Advisor API function (permissions attached by the API stack)",
        )


class SearchStack(cdk.Stack):
    """The KB index domain."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: StageConfig,
        api_role: iam.IRole,
        **kw: object,
    ) -> None:
        super().__init__(scope, construct_id, **kw)  # type: ignore[arg-type]
        self.search = KbSearch(
            self,
            "Kb",
            config=config.search,
            stage=config.name,
            master_role=api_role,
            retain=config.retain_data,
        )


class AuthStack(cdk.Stack):
    """The Cognito user pool."""

    def __init__(
        self, scope: Construct, construct_id: str, *, config: StageConfig, **kw: object
    ) -> None:
        super().__init__(scope, construct_id, **kw)  # type: ignore[arg-type]
        self.auth = Auth(
            self,
            "Auth",
            stage=config.name,
            domain_prefix=config.cognito_domain_prefix,
            ui_origin=config.ui_origin,
            retain=config.retain_data,
        )


class MlStack(cdk.Stack):
    """The scoring endpoint."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: StageConfig,
        infra: InfraConfig,
        image_tag: str,
        data: DataStore,
        **kw: object,
    ) -> None:
        super().__init__(scope, construct_id, **kw)  # type: ignore[arg-type]
        self.scoring = ScoringEndpoint(
            self,
            "Scoring",
            stage=config.name,
            config=config.ml,
            repository=image_repository(self, "ScoringImages", infra, infra.scoring_repository),
            image_tag=image_tag,
            artifacts=data.model_artifacts,
            capture=data.data_capture,
        )


class ApiStack(cdk.Stack):
    """The API function, its gateway and the web app distribution."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: StageConfig,
        infra: InfraConfig,
        image_tag: str,
        data: DataStack,
        search: KbSearch,
        auth: Auth,
        scoring: ScoringEndpoint,
        **kw: object,
    ) -> None:
        super().__init__(scope, construct_id, **kw)  # type: ignore[arg-type]
        store = data.store
        environment = {
            "LOAN_ADVISOR_MODE": "aws",
            "LOAN_ADVISOR_LOG_LEVEL": "INFO",
            "LOAN_ADVISOR_VAR_DIR": "/tmp/var",  # noqa: S108 - Lambda's only writable path
            "LOAN_ADVISOR_AWS_REGION": config.region,
            "LOAN_ADVISOR_STORE": "dynamodb",
            "LOAN_ADVISOR_DYNAMODB_TABLE_PREFIX": config.table_prefix,
            "LOAN_ADVISOR_DOCUMENTS_BUCKET": store.documents.bucket_name,
            "LOAN_ADVISOR_PROVIDER": f"bedrock:{config.chat_model_id}",
            "LOAN_ADVISOR_BEDROCK_REGION": config.bedrock_region or config.region,
            "LOAN_ADVISOR_SCORER": "sagemaker",
            "LOAN_ADVISOR_SAGEMAKER_ENDPOINT": scoring.endpoint_name,
            "LOAN_ADVISOR_KB_INDEX": "opensearch",
            "LOAN_ADVISOR_OPENSEARCH_URL": search.url,
            "LOAN_ADVISOR_COGNITO_ISSUER": auth.issuer,
            "LOAN_ADVISOR_COGNITO_JWKS_URL": auth.jwks_url,
            "LOAN_ADVISOR_COGNITO_CLIENT_ID": auth.client.user_pool_client_id,
            "LOAN_ADVISOR_COGNITO_USER_POOL_ID": auth.user_pool.user_pool_id,
            "LOAN_ADVISOR_CORS_ORIGINS": cors_origins(config),
            "POWERTOOLS_SERVICE_NAME": f"loan-advisor-{config.name}",
            "POWERTOOLS_METRICS_NAMESPACE": "LoanAdvisor",
            "AWS_LWA_INVOKE_MODE": "response_stream",
        }
        self.function = ApiFunction(
            self,
            "Function",
            config=config,
            role=data.api_role,
            repository=image_repository(self, "ApiImages", infra, infra.api_repository),
            image_tag=image_tag,
            tables=list(store.tables.values()),
            documents=store.documents,
            scoring_endpoint_arn=scoring.endpoint_arn,
            search_statement=search.access_statement(),
            environment=environment,
        )
        self.gateway = ApiGateway(
            self, "Gateway", config=config, handler=self.function.alias, user_pool=auth.user_pool
        )
        self.frontend = Frontend(
            self, "Frontend", config=config, api=self.gateway.api, access_logs=store.access_logs
        )
        cdk.CfnOutput(
            self, "Url", value=f"https://{self.frontend.distribution.distribution_domain_name}"
        )
        cdk.CfnOutput(self, "ApiUrl", value=self.gateway.api.url)
        cdk.CfnOutput(self, "WebBucket", value=self.frontend.bucket.bucket_name)
        cdk.CfnOutput(self, "DistributionId", value=self.frontend.distribution.distribution_id)


class MonitoringStack(cdk.Stack):
    """Alarms and the dashboard of one stage."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: StageConfig,
        api: ApiStack,
        scoring: ScoringEndpoint,
        data: DataStore,
        **kw: object,
    ) -> None:
        super().__init__(scope, construct_id, **kw)  # type: ignore[arg-type]
        self.monitoring = Monitoring(
            self,
            "Monitoring",
            stage=config.name,
            rules=load_rules(),
            alarm_email=config.alarm_email,
            api=api.gateway.api,
            function=api.function.function,
            scoring_metric=scoring.metric,
            tables=dict(data.tables),
        )
