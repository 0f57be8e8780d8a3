"""One settings object for the whole process.

Only this module reads the environment. Everything else receives a `Settings`
(or values taken from it) at the edge: app start-up, the CLI, the graph factory.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Passwords that appear in docs, examples and old defaults: never a real staff password.
PLACEHOLDER_PASSWORDS = frozenset(
    {"change-me", "change-me-local-only", "changeme", "password", "staff", "admin", "secret"}
)
MIN_STAFF_PASSWORD = 12

Mode = Literal["local", "aws"]
# What `mode=aws` switches to unless a setting says otherwise (DynamoDB also holds the
# checkpoints and the LLM cache; S3 and Cognito follow the mode itself).
AWS_DEFAULTS = {
    "store": "dynamodb",
    "kb_index": "opensearch",
    "scorer": "sagemaker",
    "provider": "bedrock:anthropic.claude-3-5-haiku-20241022-v1:0",
}


class ConfigError(ValueError):
    """The settings cannot serve: the message names the setting to fix, in one line."""


class Settings(BaseSettings):
    """Process configuration, read from `LOAN_ADVISOR_*` environment variables and `.env`."""

    model_config = SettingsConfigDict(
        env_prefix="LOAN_ADVISOR_", env_file=".env", extra="ignore", frozen=True
    )

    mode: Mode = Field("local", description="local = embedded stand-ins; aws = real AWS services")
    var_dir: Path = Field(Path("var"), description="where embedded stores, models and indexes live")
    host: str = Field("127.0.0.1", description="address the API binds to")
    port: int = Field(8000, ge=1, le=65535, description="port the API listens on")
    log_level: str = Field("INFO", description="Python logging level (DEBUG, INFO, WARNING...)")

    # Agent
    provider: str = Field(
        "offline:advisor-v1", description="chat model as provider:model (offline, bedrock, openai)"
    )
    openai_base_url: str | None = Field(
        None, description="base URL of an OpenAI-compatible server (openai: provider)"
    )
    openai_api_key: SecretStr | None = Field(
        None, description="API key for the OpenAI-compatible server, if it needs one"
    )
    bedrock_region: str = Field("us-east-1", description="AWS region of Bedrock")
    bedrock_max_tokens: int = Field(
        1024,
        ge=16,
        description="reply length cap for a remote chat model (Bedrock, OpenAI-compatible)",
    )
    bedrock_timeout_seconds: float = Field(
        30.0, gt=0, description="read timeout of a remote chat model (Bedrock, OpenAI-compatible)"
    )
    llm_step_deadline_seconds: float = Field(
        90.0,
        gt=0,
        description="longest one chat-model step may take, streaming included, before the "
        "offline advisor answers instead",
    )
    bedrock_endpoint_url: str | None = Field(
        None, description="override the Bedrock runtime endpoint (VPC endpoint, stub)"
    )
    bedrock_guardrail_id: str | None = Field(
        None, description="Bedrock guardrail applied to every Converse call (None: none)"
    )
    bedrock_guardrail_version: str = Field("DRAFT", description="version of that guardrail")
    llm_temperature: float = Field(0.0, ge=0.0, le=1.0, description="chat-model temperature")
    llm_usd_per_1k_input_tokens: float = Field(
        0.0008, ge=0, description="price of prompt tokens, for the per-turn cost metric"
    )
    llm_usd_per_1k_output_tokens: float = Field(
        0.004, ge=0, description="price of completion tokens, for the per-turn cost metric"
    )

    # Scoring
    scorer: Literal["inprocess", "http", "sagemaker"] = Field(
        "inprocess", description="credit model: in this process, a scoring server, or SageMaker"
    )
    scoring_url: str = Field(
        "http://127.0.0.1:8080", description="base URL of the scoring server (scorer=http)"
    )
    sagemaker_endpoint: str = Field(
        "loan-advisor-scoring", description="SageMaker endpoint name (scorer=sagemaker)"
    )
    sagemaker_endpoint_url: str | None = Field(
        None, description="override the SageMaker runtime endpoint (local stand-in)"
    )
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
    store: Literal["sqlite", "dynamodb"] = Field(
        "sqlite", description="where records, checkpoints and the LLM cache live"
    )
    dynamodb_endpoint_url: str | None = Field(
        None, description="override the DynamoDB endpoint (DynamoDB Local)"
    )
    dynamodb_table_prefix: str = Field(
        "loan-advisor", description="prefix of every DynamoDB table name (one per stage)"
    )
    aws_region: str = Field("us-east-1", description="AWS region of DynamoDB, S3 and SageMaker")

    # Knowledge base index
    kb_index: Literal["embedded", "opensearch"] = Field(
        "embedded", description="KB search index: embedded (in process) or OpenSearch"
    )
    opensearch_url: str = Field(
        "http://127.0.0.1:9200", description="OpenSearch endpoint (kb_index=opensearch)"
    )
    kb_search_mode: Literal["lexical", "dense", "hybrid"] = Field(
        "hybrid", description="default KB search; hybrid needs the OpenSearch search pipeline"
    )

    # Auth
    cognito_issuer: str | None = Field(
        None, description="Cognito token issuer URL; required in AWS mode"
    )
    cognito_jwks_url: str | None = Field(
        None, description="Cognito JWKS URL that verifies tokens; required in AWS mode"
    )
    cognito_client_id: str | None = Field(
        None, description="Cognito app client id tokens must carry; required in AWS mode"
    )
    cognito_user_pool_id: str | None = Field(
        None, description="Cognito user pool the web app signs in to, e.g. eu-west-1_Ab12"
    )
    cors_origins: list[str] = Field(
        default_factory=lambda: ["http://127.0.0.1:8000"],
        description="browser origins allowed to call the API (JSON list)",
    )
    token_ttl_seconds: int = Field(3600, ge=60, description="lifetime of local access tokens")
    staff_email: str | None = Field(None, description="staff account seeded at start-up (local)")
    staff_password: SecretStr | None = Field(
        None, description="password of the seeded staff account (local; 12+ characters)"
    )
    rate_limit_user_per_minute: int = Field(600, ge=1, description="requests per user per minute")
    rate_limit_ip_per_minute: int = Field(3000, ge=1, description="requests per client IP per min")
    max_upload_bytes: int = Field(5 * 1024 * 1024, ge=1024, description="document upload limit")
    api_workers: int = Field(1, ge=1, le=16, description="uvicorn worker processes for serve")
    documents_bucket: str = Field(
        "loan-advisor-documents", description="S3 bucket for uploaded documents (AWS mode)"
    )
    s3_endpoint_url: str | None = Field(
        None, description="override the S3 endpoint (local stand-in)"
    )

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

    @model_validator(mode="before")
    @classmethod
    def _aws_defaults(cls, data: Any) -> Any:
        """In AWS mode every backend defaults to its AWS service; each can still be set."""
        if isinstance(data, dict) and str(data.get("mode", "local")).lower() == "aws":
            for name, value in AWS_DEFAULTS.items():
                data.setdefault(name, value)
        return data

    @model_validator(mode="after")
    def _refuse_placeholder_staff_password(self) -> Settings:
        """A documented or trivially short staff password is a deployment bug in any mode."""
        if self.staff_password is not None:
            password = self.staff_password.get_secret_value()
            if password.lower() in PLACEHOLDER_PASSWORDS or len(password) < MIN_STAFF_PASSWORD:
                raise ValueError(
                    "LOAN_ADVISOR_STAFF_PASSWORD is a placeholder or shorter than "
                    f"{MIN_STAFF_PASSWORD} characters; choose a real password"
                )
        return self

    def check_serving(self) -> None:
        """Raise `ConfigError` naming the first setting that stops this process from serving.

        AWS mode signs users in with Cognito only: without its settings the app would fall
        back to the local identity provider (open sign-up, a seeded staff password).
        """
        if self.mode != "aws":
            return
        for name in ("cognito_issuer", "cognito_jwks_url", "cognito_client_id"):
            if not getattr(self, name):
                raise ConfigError(
                    f"LOAN_ADVISOR_{name.upper()} is not set; AWS mode signs users in with "
                    "Cognito only"
                )
        if self.staff_email or self.staff_password:
            raise ConfigError(
                "LOAN_ADVISOR_STAFF_EMAIL/_STAFF_PASSWORD seed the local identity provider, "
                "which AWS mode does not run; put staff in the Cognito 'staff' group instead"
            )

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
