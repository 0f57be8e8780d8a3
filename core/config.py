"""One settings object for the whole process.

Only this module reads the environment. Everything else receives a `Settings`
(or values taken from it) at the edge: app start-up, the CLI, the graph factory.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRET = "change-me-local-only"  # noqa: S105 - the documented local default

Mode = Literal["local", "aws"]


class Settings(BaseSettings):
    """Process configuration, read from `LOAN_ADVISOR_*` environment variables and `.env`."""

    model_config = SettingsConfigDict(
        env_prefix="LOAN_ADVISOR_", env_file=".env", extra="ignore", frozen=True
    )

    mode: Mode = Field("local", description="local = embedded stand-ins; aws = real AWS services")
    var_dir: Path = Field(Path("var"), description="where embedded stores, models and indexes live")
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    log_level: str = "INFO"

    # Agent
    provider: str = Field(
        "offline:advisor-v1", description="chat model as provider:model (offline, bedrock, openai)"
    )
    openai_base_url: str | None = None
    openai_api_key: SecretStr | None = None
    bedrock_region: str = "us-east-1"

    # Scoring
    scorer: Literal["inprocess", "http", "sagemaker"] = "inprocess"
    scoring_url: str = "http://127.0.0.1:8080"
    sagemaker_endpoint: str = "loan-advisor-scoring"
    sagemaker_endpoint_url: str | None = None
    scoring_port: int = Field(
        8080,
        ge=1,
        le=65535,
        validation_alias=AliasChoices("SAGEMAKER_BIND_TO_PORT", "LOAN_ADVISOR_SCORING_PORT"),
        description="scoring server port (SageMaker may set SAGEMAKER_BIND_TO_PORT)",
    )
    scoring_max_batch_rows: int = Field(10_000, ge=1, description="rows per /invocations request")
    scoring_timeout_seconds: float = Field(10.0, gt=0, description="scoring client timeout")

    # Storage
    store: Literal["sqlite", "dynamodb"] = "sqlite"
    dynamodb_endpoint_url: str | None = None
    dynamodb_table_prefix: str = "loan-advisor"
    aws_region: str = "us-east-1"

    # Knowledge base index
    kb_index: Literal["embedded", "opensearch"] = "embedded"
    opensearch_url: str = "http://127.0.0.1:9200"

    # Auth
    jwt_secret: SecretStr = SecretStr(PLACEHOLDER_SECRET)
    cognito_issuer: str | None = None
    cognito_jwks_url: str | None = None
    cognito_client_id: str | None = None
    cognito_user_pool_id: str | None = Field(
        None, description="Cognito user pool the web app signs in to, e.g. eu-west-1_Ab12"
    )
    cors_origins: list[str] = Field(default_factory=lambda: ["http://127.0.0.1:8000"])
    token_ttl_seconds: int = Field(3600, ge=60, description="lifetime of local access tokens")
    staff_email: str | None = Field(None, description="staff account seeded at start-up (local)")
    staff_password: SecretStr | None = None
    rate_limit_user_per_minute: int = Field(600, ge=1, description="requests per user per minute")
    rate_limit_ip_per_minute: int = Field(3000, ge=1, description="requests per client IP per min")
    max_upload_bytes: int = Field(5 * 1024 * 1024, ge=1024, description="document upload limit")
    api_workers: int = Field(1, ge=1, le=16, description="uvicorn worker processes for serve")
    documents_bucket: str = "loan-advisor-documents"
    s3_endpoint_url: str | None = None

    # Security
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="peer addresses/CIDRs whose X-Forwarded-For is believed (empty: none)",
    )
    login_failures_before_lockout: int = Field(
        5, ge=1, description="wrong passwords per account before logins back off"
    )
    login_ip_failures_before_lockout: int = Field(
        20, ge=1, description="wrong passwords per client IP before logins back off"
    )
    login_lockout_base_seconds: float = Field(
        30.0, gt=0, description="first lockout; doubles with each further failure"
    )
    login_lockout_max_seconds: float = Field(900.0, gt=0, description="longest login lockout")
    chat_turns_per_minute: int = Field(20, ge=1, description="chat turns per user per minute")
    max_in_flight_requests: int = Field(
        64, ge=0, description="concurrent requests before 503 (0: no cap); health exempt"
    )

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> Settings:
        """Outside local mode a placeholder secret is a deployment bug, so fail at start-up."""
        if self.mode != "local" and self.jwt_secret.get_secret_value() == PLACEHOLDER_SECRET:
            raise ValueError(
                "LOAN_ADVISOR_JWT_SECRET still holds the local placeholder; set a real secret "
                "outside local mode"
            )
        return self

    @property
    def checkpoint_path(self) -> Path:
        """SQLite file holding LangGraph thread checkpoints."""
        return self.var_dir / "checkpoints.sqlite"

    @property
    def app_db_path(self) -> Path:
        """SQLite file holding application records (threads, applications, offers...)."""
        return self.var_dir / "app.sqlite"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings, read once."""
    return Settings()
