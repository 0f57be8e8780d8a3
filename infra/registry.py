"""The image registry: ECR repositories both stages pull from (one build, promoted unchanged).

CI builds the API and scoring images once per commit, tags them with the commit SHA and pushes
them here; staging and prod deploy the same tag. Tags are immutable so a tag always names the
image that was tested; the repository policy lets the stage accounts and their Lambda service
pull.
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_iam as iam
from constructs import Construct

from infra.config import InfraConfig


class RegistryStack(cdk.Stack):
    """The API and scoring image repositories."""

    def __init__(
        self, scope: Construct, construct_id: str, *, infra: InfraConfig, **kw: object
    ) -> None:
        super().__init__(scope, construct_id, **kw)  # type: ignore[arg-type]
        accounts = sorted({s.account for s in infra.stages.values()})
        self.repositories = {
            name: self._repository(name, accounts)
            for name in (infra.api_repository, infra.scoring_repository)
        }

    def _repository(self, name: str, accounts: list[str]) -> ecr.Repository:
        repo = ecr.Repository(
            self,
            f"Repo-{name}",
            repository_name=name,
            image_scan_on_push=True,
            image_tag_mutability=ecr.TagMutability.IMMUTABLE,
            encryption=ecr.RepositoryEncryption.AES_256,
            lifecycle_rules=[ecr.LifecycleRule(max_image_count=100, description="keep 100")],
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        pull = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
        repo.add_to_resource_policy(
            iam.PolicyStatement(
                sid="StageAccountsPull",
                actions=pull,
                principals=[iam.AccountPrincipal(a) for a in accounts],
            )
        )
        repo.add_to_resource_policy(
            iam.PolicyStatement(
                sid="StageLambdaPull",
                actions=pull,
                principals=[iam.ServicePrincipal("lambda.amazonaws.com")],
                conditions={
                    "StringLike": {
                        "aws:sourceArn": [f"arn:aws:lambda:*:{a}:function:*" for a in accounts]
                    }
                },
            )
        )
        return repo
