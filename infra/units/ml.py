"""ML unit: the credit-scoring SageMaker endpoint, with data capture and autoscaling.

The model runs the scoring container (`infra/scoring/Dockerfile`, SageMaker's bring-your-own-
container contract) on the registry artefact `s3://<artifacts>/models/<model_id>/model.tar.gz`.
Every request and response is captured to the data-capture bucket for drift analysis. An
update to the model or its image rolls out blue/green: a canary slice of new capacity first,
then the rest, and SageMaker rolls back on its own if the rollback alarms fire meanwhile.
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_applicationautoscaling as autoscaling
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sagemaker as sagemaker
from constructs import Construct

from infra.config import MlConfig
from infra.nag import accept

VARIANT = "primary"


class ScoringEndpoint(Construct):
    """Model, endpoint configuration and endpoint, plus their scaling and rollback alarms."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        stage: str,
        config: MlConfig,
        repository: ecr.IRepository,
        image_tag: str,
        artifacts: s3.IBucket,
        capture: s3.IBucket,
    ) -> None:
        super().__init__(scope, construct_id)
        self.endpoint_name = f"loan-advisor-scoring-{stage}"
        artefact_key = f"models/{config.model_id}/model.tar.gz"
        role = iam.Role(
            self,
            "ExecutionRole",
            assumed_by=iam.ServicePrincipal("sagemaker.amazonaws.com"),
            description="SageMaker scoring: pull the image, read one artefact, write capture",
        )
        repository.grant_pull(role)
        role.add_to_policy(
            iam.PolicyStatement(
                actions=["s3:GetObject"], resources=[artifacts.arn_for_objects(artefact_key)]
            )
        )
        role.add_to_policy(
            iam.PolicyStatement(
                actions=["s3:PutObject"], resources=[capture.arn_for_objects("capture/*")]
            )
        )
        role.add_to_policy(
            iam.PolicyStatement(
                actions=["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                resources=[
                    cdk.Stack.of(self).format_arn(
                        service="logs",
                        resource="log-group",
                        resource_name="/aws/sagemaker/Endpoints/*",
                        arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME,
                    )
                ],
            )
        )
        role.add_to_policy(
            iam.PolicyStatement(
                actions=["cloudwatch:PutMetricData"],
                resources=["*"],  # PutMetricData has no resource type; limited by namespace
                conditions={"StringEquals": {"cloudwatch:namespace": "/aws/sagemaker/Endpoints"}},
            )
        )
        accept(
            role,
            {
                "IAM5": "ecr:GetAuthorizationToken and cloudwatch:PutMetricData have no resource "
                "type (the latter is pinned to SageMaker's namespace); capture objects are "
                "written under one prefix of one bucket; endpoint log groups are named by "
                "SageMaker at run time",
            },
        )
        model = sagemaker.CfnModel(
            self,
            "Model",
            execution_role_arn=role.role_arn,
            primary_container=sagemaker.CfnModel.ContainerDefinitionProperty(
                image=repository.repository_uri_for_tag(image_tag),
                model_data_url=artifacts.s3_url_for_object(artefact_key),
                environment={"LOAN_ADVISOR_LOG_LEVEL": "INFO"},
            ),
            enable_network_isolation=True,  # the scorer needs no network beyond SageMaker's
        )
        model.node.add_dependency(role)
        endpoint_config = sagemaker.CfnEndpointConfig(
            self,
            "EndpointConfig",
            production_variants=[
                sagemaker.CfnEndpointConfig.ProductionVariantProperty(
                    variant_name=VARIANT,
                    model_name=model.attr_model_name,
                    instance_type=config.instance_type,
                    initial_instance_count=config.initial_instance_count,
                    initial_variant_weight=1.0,
                )
            ],
            data_capture_config=sagemaker.CfnEndpointConfig.DataCaptureConfigProperty(
                enable_capture=True,
                initial_sampling_percentage=config.data_capture_percent,
                destination_s3_uri=capture.s3_url_for_object("capture"),
                capture_options=[
                    sagemaker.CfnEndpointConfig.CaptureOptionProperty(capture_mode="Input"),
                    sagemaker.CfnEndpointConfig.CaptureOptionProperty(capture_mode="Output"),
                ],
                capture_content_type_header=sagemaker.CfnEndpointConfig.CaptureContentTypeHeaderProperty(
                    json_content_types=["application/json"], csv_content_types=["text/csv"]
                ),
            ),
        )
        self.rollback_alarms = self._rollback_alarms(stage)
        self.endpoint = sagemaker.CfnEndpoint(
            self,
            "Endpoint",
            endpoint_name=self.endpoint_name,
            endpoint_config_name=endpoint_config.attr_endpoint_config_name,
            deployment_config=sagemaker.CfnEndpoint.DeploymentConfigProperty(
                blue_green_update_policy=sagemaker.CfnEndpoint.BlueGreenUpdatePolicyProperty(
                    traffic_routing_configuration=sagemaker.CfnEndpoint.TrafficRoutingConfigProperty(
                        type="CANARY",
                        canary_size=sagemaker.CfnEndpoint.CapacitySizeProperty(
                            type="CAPACITY_PERCENT", value=50
                        ),
                        wait_interval_in_seconds=300,
                    ),
                    termination_wait_in_seconds=300,
                    maximum_execution_timeout_in_seconds=3600,
                ),
                auto_rollback_configuration=sagemaker.CfnEndpoint.AutoRollbackConfigProperty(
                    alarms=[
                        sagemaker.CfnEndpoint.AlarmProperty(alarm_name=a.alarm_name)
                        for a in self.rollback_alarms
                    ]
                ),
            ),
        )
        for alarm in self.rollback_alarms:
            self.endpoint.node.add_dependency(alarm)
        self._autoscale(config)

    def metric(self, name: str, statistic: str, period: cdk.Duration) -> cloudwatch.Metric:
        """Return an endpoint metric of the one production variant."""
        return cloudwatch.Metric(
            namespace="AWS/SageMaker",
            metric_name=name,
            dimensions_map={"EndpointName": self.endpoint_name, "VariantName": VARIANT},
            statistic=statistic,
            period=period,
        )

    @property
    def endpoint_arn(self) -> str:
        """Return the endpoint's ARN (what the API may invoke)."""
        return cdk.Stack.of(self).format_arn(
            service="sagemaker", resource="endpoint", resource_name=self.endpoint_name
        )

    def _rollback_alarms(self, stage: str) -> list[cloudwatch.Alarm]:
        minute = cdk.Duration.minutes(1)
        return [
            cloudwatch.Alarm(
                self,
                "RollbackErrors",
                alarm_name=f"loan-advisor-{stage}-scoring-rollback-errors",
                alarm_description="Blue/green rollback: the scoring endpoint answers 5xx",
                metric=self.metric("Invocation5XXErrors", "Sum", minute),
                threshold=1,
                evaluation_periods=1,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            ),
            cloudwatch.Alarm(
                self,
                "RollbackLatency",
                alarm_name=f"loan-advisor-{stage}-scoring-rollback-latency",
                alarm_description="Blue/green rollback: model latency p95 above 1 s",
                metric=self.metric("ModelLatency", "p95", minute),
                threshold=1_000_000,
                evaluation_periods=2,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            ),
        ]

    def _autoscale(self, config: MlConfig) -> None:
        target = autoscaling.ScalableTarget(
            self,
            "ScalableTarget",
            service_namespace=autoscaling.ServiceNamespace.SAGEMAKER,
            resource_id=f"endpoint/{self.endpoint_name}/variant/{VARIANT}",
            scalable_dimension="sagemaker:variant:DesiredInstanceCount",
            min_capacity=config.min_capacity,
            max_capacity=config.max_capacity,
        )
        target.node.add_dependency(self.endpoint)
        target.scale_to_track_metric(
            "InvocationsPerInstance",
            target_value=config.invocations_per_instance,
            predefined_metric=autoscaling.PredefinedMetric.SAGEMAKER_VARIANT_INVOCATIONS_PER_INSTANCE,
            scale_in_cooldown=cdk.Duration.minutes(5),
            scale_out_cooldown=cdk.Duration.minutes(1),
        )
