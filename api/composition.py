"""The composition root: every client built once from `Settings`, for local and AWS modes.

The API's start-up (`api/main.py`) and the CLI both come here; below this module nothing
reads `Settings` or builds a client. It lives in `api/` because the identity provider and
token verifier it builds are the API's, and only `cli` and `evals` sit above `api`; it
imports nothing of FastAPI, so the CLI pays no web-stack import for it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import Any

from langchain_core.language_models import BaseChatModel
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer

from agent.advisor import build_advisor
from agent.graph import Graph
from api.backends import (
    aws_session,
    build_blob_store,
    build_chat_model,
    build_experiments,
    build_repositories,
    build_scorer,
    build_serving_knowledge_base,
)
from api.identity import LocalIdentityProvider, load_or_create_key
from api.instrumentation import TimedScorer, instrument_chat_model, timed_repositories
from api.security import CognitoTokenVerifier, VerifiedTokens
from applications import ApplicationService, build_application_service
from core.clock import Clock, SystemClock
from core.config import Settings
from core.metrics import Recorder
from experiments.store import ExperimentStore
from lending.policy import Policy, load_policy
from storage.blobs import BlobStore
from storage.dynamodb_tables import CHECKPOINTS, table_name
from storage.repositories import Repositories
from storage.sqlite import make_private_file
from tools.ports import EventLog, PolicySearch, RiskScorer, ToolDeps

_BUILD = object()  # "build it from settings" (None is a real choice for the knowledge base)


@dataclass
class Runtime:
    """Every client of one process, built once; the API's `Services` and the CLI read it."""

    settings: Settings
    clock: Clock
    policy: Policy
    repos: Repositories
    blobs: BlobStore
    scorer: RiskScorer
    knowledge: PolicySearch | None  # retrieval.service.KnowledgeBase, None if unavailable
    events: EventLog
    model: BaseChatModel
    deps: ToolDeps
    graph: Graph
    verifier: VerifiedTokens
    identity: LocalIdentityProvider | None  # None in AWS mode: Cognito signs users in
    experiments: ExperimentStore
    applications: ApplicationService

    def close(self) -> None:
        """Release connections (the checkpointer is closed by whoever opened it)."""
        self.repos.close()


def build_identity(
    settings: Settings, repos: Repositories, clock: Clock
) -> tuple[VerifiedTokens, LocalIdentityProvider | None]:
    """Return the token verifier: Cognito's in AWS mode, else the local identity provider's.

    Either way wrapped once in `VerifiedTokens`, so a token is verified on its first request.
    """
    if settings.mode == "aws":
        settings.check_serving()  # Cognito settings present, no local staff seed
        assert settings.cognito_issuer and settings.cognito_jwks_url  # checked just above
        verifier = CognitoTokenVerifier(
            settings.cognito_issuer, settings.cognito_jwks_url, settings.cognito_client_id
        )
        return VerifiedTokens(verifier), None
    key = load_or_create_key(settings.var_dir / "auth")
    identity = LocalIdentityProvider(repos.users, key, clock, settings.token_ttl_seconds)
    if settings.staff_email and settings.staff_password:
        identity.ensure_staff(settings.staff_email, settings.staff_password.get_secret_value())
    return VerifiedTokens(identity.verifier), identity


def build_runtime(
    settings: Settings,
    checkpointer: BaseCheckpointSaver[str] | None,
    *,
    clock: Clock | None = None,
    scorer: RiskScorer | None = None,
    knowledge: Any = _BUILD,
    model: BaseChatModel | None = None,
    token_budget: int = 3000,
    recorder: Recorder | None = None,
) -> Runtime:
    """Build every client from settings and wire the advisor graph over them.

    `scorer`, `knowledge` and `model` replace the configured credit model, knowledge base
    (None: run without one) and chat-model client (tests, benchmarks, the fake Bedrock).
    `recorder` receives the store, scorer and chat-model metrics (the API passes its own;
    without one they are checked and dropped).
    """
    clock = clock or SystemClock()
    rec = recorder or Recorder([])
    policy = load_policy()
    repos = timed_repositories(build_repositories(settings, clock), rec)
    try:
        verifier, identity = build_identity(settings, repos, clock)
        backend = settings.scorer if scorer is None else "custom"
        scorer = TimedScorer(scorer or build_scorer(settings), rec, backend)
        kb = build_serving_knowledge_base(settings) if knowledge is _BUILD else knowledge
        events = repos.events
        applications = build_application_service(repos, scorer, policy, clock)
        deps = ToolDeps(
            scorer=scorer,
            applications=applications,
            policy=policy,
            clock=clock,
            knowledge=kb,
            events=events,
        )
        prices = (settings.llm_usd_per_1k_input_tokens, settings.llm_usd_per_1k_output_tokens)
        chat_model = instrument_chat_model(
            build_chat_model(settings, clock, model=model), rec, settings.provider, prices
        )
        graph = build_advisor(
            model=chat_model,
            deps=deps,
            checkpointer=checkpointer,
            provider=settings.provider,
            token_budget=token_budget,
            model_deadline_seconds=settings.llm_step_deadline_seconds,
        )
    except BaseException:
        repos.close()
        raise
    return Runtime(
        settings=settings,
        clock=clock,
        policy=policy,
        repos=repos,
        blobs=build_blob_store(settings),
        scorer=scorer,
        knowledge=kb,
        events=events,
        model=chat_model,
        deps=deps,
        graph=graph,
        applications=applications,
        verifier=verifier,
        identity=identity,
        experiments=build_experiments(settings, clock),
    )


# The typed thread snapshot is stored in checkpoints: its types are allowed by name, so a
# checkpoint never revives anything else (LangGraph warns about, and will block, the rest).
CHECKPOINT_TYPES = (
    ("applications.snapshot", "ThreadApplication"),
    ("applications.snapshot", "OfferView"),
    ("storage.records", "ApplicationStatus"),
)


def _serde() -> JsonPlusSerializer:
    return JsonPlusSerializer(allowed_msgpack_modules=list(CHECKPOINT_TYPES))


def _dynamodb_saver(settings: Settings) -> BaseCheckpointSaver[str]:
    """Return langgraph-checkpoint-aws's DynamoDB saver (its async methods use a thread)."""
    from langgraph_checkpoint_aws import DynamoDBSaver

    saver: BaseCheckpointSaver[str] = DynamoDBSaver(
        table_name=table_name(settings.dynamodb_table_prefix, CHECKPOINTS),
        session=aws_session(settings),
        region_name=settings.aws_region,
        endpoint_url=settings.dynamodb_endpoint_url,
    )
    saver.serde = _serde()
    return saver


@contextmanager
def open_checkpointer(settings: Settings) -> Iterator[BaseCheckpointSaver[str]]:
    """Yield the sync checkpointer (CLI, evals): DynamoDB when `store=dynamodb`, else SQLite."""
    if settings.store == "dynamodb":
        yield _dynamodb_saver(settings)
        return
    import sqlite3

    from langgraph.checkpoint.sqlite import SqliteSaver

    make_private_file(settings.checkpoint_path)  # conversations: owner-only (0600)
    conn = sqlite3.connect(settings.checkpoint_path, check_same_thread=False)
    # WAL + NORMAL: every committed turn survives a process crash, without an fsync each.
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    try:
        yield SqliteSaver(conn, serde=_serde())
    finally:
        conn.close()


@asynccontextmanager
async def open_async_checkpointer(settings: Settings) -> AsyncIterator[BaseCheckpointSaver[str]]:
    """Yield the API's checkpointer: DynamoDB in AWS (`store=dynamodb`), else async SQLite."""
    if settings.store == "dynamodb":
        yield _dynamodb_saver(settings)
        return
    from api.sqlite_checkpoints import open_sqlite_saver

    make_private_file(settings.checkpoint_path)  # conversations: owner-only (0600)
    # Autocommit, WAL, synchronous=NORMAL: workers sharing the file never hold its write
    # lock across an await (api/sqlite_checkpoints.py).
    async with open_sqlite_saver(settings.checkpoint_path, _serde()) as saver:
        yield saver


@contextmanager
def open_runtime(settings: Settings, **overrides: Any) -> Iterator[Runtime]:
    """Yield a runtime with its sync checkpointer open (the CLI's chat, evals, benchmarks)."""
    with open_checkpointer(settings) as saver:
        runtime = build_runtime(settings, saver, **overrides)
        try:
            yield runtime
        finally:
            runtime.close()
