"""A stage: one deployed copy of the system (its stacks in its account and region)."""

from __future__ import annotations

import aws_cdk as cdk
from constructs import Construct

from infra.config import InfraConfig, StageConfig
from infra.nag import accept
from infra.stacks import ApiStack, AuthStack, DataStack, MlStack, MonitoringStack, SearchStack


class LoanAdvisorStage(cdk.Stage):
    """Data, Search, Auth, Ml, Api and Monitoring stacks of one stage."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: StageConfig,
        infra: InfraConfig,
        image_tag: str,
    ) -> None:
        env = cdk.Environment(account=config.account, region=config.region)
        super().__init__(scope, construct_id, env=env)
        protect = config.retain_data
        common: dict[str, object] = {"env": env, "termination_protection": protect}
        self.data = DataStack(self, "Data", config=config, **common)
        self.search = SearchStack(
            self, "Search", config=config, api_role=self.data.api_role, **common
        )
        self.auth = AuthStack(self, "Auth", config=config, **common)
        self.ml = MlStack(
            self,
            "Ml",
            config=config,
            infra=infra,
            image_tag=image_tag,
            data=self.data.store,
            **common,
        )
        self.api = ApiStack(
            self,
            "Api",
            config=config,
            infra=infra,
            image_tag=image_tag,
            data=self.data,
            search=self.search.search,
            auth=self.auth.auth,
            scoring=self.ml.scoring,
            **common,
        )
        self.monitoring = MonitoringStack(
            self,
            "Monitoring",
            config=config,
            api=self.api,
            scoring=self.ml.scoring,
            data=self.data.store,
            **common,
        )
        accept(
            self.data.api_role,
            {
                "IAM5": "Only X-Ray trace submission and ecr:GetAuthorizationToken, which have no "
                "resource type; data access is the API stack's resource-scoped policy",
            },
        )
        for stack in self.stacks:
            cdk.Tags.of(stack).add("project", "loan-advisor")
            cdk.Tags.of(stack).add("stage", config.name)

    @property
    def stacks(self) -> list[cdk.Stack]:
        """Return the stage's stacks in deployment order."""
        return [self.data, self.search, self.auth, self.ml, self.api, self.monitoring]
