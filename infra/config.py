"""Typed per-stage configuration, read from `infra/stages.yaml`.

A stage is one deployed copy of the system (`staging`, `prod`). Everything that differs between
them (account, region, domain, sizes, model ids) lives in the YAML file, validated here, so a
typo fails `cdk synth` with the field's name instead of deploying something odd.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

CONFIG_PATH = Path(__file__).with_name("stages.yaml")

CanaryName = Literal[
    "CANARY_10_PERCENT_5_MINUTES",
    "CANARY_10_PERCENT_10_MINUTES",
    "CANARY_10_PERCENT_30_MINUTES",
    "LINEAR_10_PERCENT_EVERY_1_MINUTE",
    "ALL_AT_ONCE",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ApiConfig(_Strict):
    """The API function and its gateway."""

    memory_mb: int = Field(2048, ge=512, le=10240)
    timeout_seconds: int = Field(300, ge=30, le=900, description="a streamed chat turn's ceiling")
    reserved_concurrency: int | None = Field(None, ge=1)
    provisioned_concurrency: int = Field(0, ge=0, description="warm instances on the live alias")
    throttle_rate_per_second: int = Field(100, ge=1)
    throttle_burst: int = Field(200, ge=1)
    waf_requests_per_5_minutes_per_ip: int = Field(2000, ge=100)
    canary: CanaryName = "CANARY_10_PERCENT_5_MINUTES"
    log_retention_days: int = 30


class SearchConfig(_Strict):
    """The OpenSearch domain holding the KB index."""

    engine_version: str = "OpenSearch_2.19"
    instance_type: str = "r6g.large.search"
    instance_count: int = Field(2, ge=1)
    volume_gb: int = Field(20, ge=10)
    multi_az: bool = True
    master_nodes: int = Field(0, ge=0, description="dedicated masters (3 in prod)")
    master_instance_type: str = "m6g.large.search"


class MlConfig(_Strict):
    """The SageMaker credit-scoring endpoint."""

    model_id: str = Field(..., description="registry model id; its artefact is models/<id>/")
    instance_type: str = "ml.m5.large"
    initial_instance_count: int = Field(1, ge=1)
    min_capacity: int = Field(1, ge=1)
    max_capacity: int = Field(2, ge=1)
    invocations_per_instance: int = Field(600, ge=1, description="target per minute")
    data_capture_percent: int = Field(100, ge=1, le=100)
    capture_retention_days: int = Field(90, ge=1)


class StageConfig(_Strict):
    """One stage's settings."""

    name: str
    account: str = Field(..., pattern=r"^\d{12}$")
    region: str
    domain_name: str = Field(..., description="where the web app is served (CORS origin)")
    certificate_arn: str | None = Field(
        None, description="ACM certificate in us-east-1 for domain_name on CloudFront"
    )
    cognito_domain_prefix: str
    table_prefix: str
    bedrock_model_ids: list[str] = Field(..., min_length=1, description="first = chat model")
    bedrock_region: str | None = None
    alarm_email: str | None = None
    retain_data: bool = True
    api: ApiConfig = ApiConfig()
    search: SearchConfig = SearchConfig()
    ml: MlConfig

    @field_validator("table_prefix")
    @classmethod
    def _prefix_is_a_name(cls, value: str) -> str:
        if not value or not value.replace("-", "").isalnum():
            raise ValueError("table_prefix: letters, digits and '-' only")
        return value

    @property
    def chat_model_id(self) -> str:
        """Return the Bedrock model the advisor chats with."""
        return self.bedrock_model_ids[0]

    @property
    def ui_origin(self) -> str:
        """Return the web app's origin, the one CORS allows."""
        return f"https://{self.domain_name}"


class InfraConfig(_Strict):
    """The whole file: where images live and every stage."""

    registry_account: str = Field(..., pattern=r"^\d{12}$")
    registry_region: str
    api_repository: str = "loan-advisor-api"
    scoring_repository: str = "loan-advisor-scoring"
    stages: dict[str, StageConfig]

    @field_validator("stages", mode="before")
    @classmethod
    def _name_each_stage(cls, value: object) -> object:
        if isinstance(value, dict):
            return {k: {**v, "name": k} if isinstance(v, dict) else v for k, v in value.items()}
        return value


def load_config(path: Path = CONFIG_PATH) -> InfraConfig:
    """Read and validate the stages file."""
    return InfraConfig.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
