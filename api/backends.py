"""One builder per backend, each choosing the embedded or the AWS client from `Settings`.

Only the composition root (`api/composition.py`) and the CLI's setup commands call these;
every client is built once per process and passed down. Nothing here creates a table, an
index or a bucket: `loan-advisor aws bootstrap` does (`api/bootstrap.py`).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langchain_core.caches import BaseCache
from langchain_core.language_models import BaseChatModel

from agent.cache import SqliteTTLCache
from agent.providers import ProviderOptions, make_chat_model
from core.clock import Clock
from core.config import Settings
from experiments.store import ExperimentStore, build_experiment_store
from storage.blobs import BlobStore, LocalBlobStore, S3BlobStore
from storage.dynamodb_tables import KB_DOCUMENTS, LLM_CACHE, RECORDS, table_name
from storage.kb_documents import KbDocumentStore
from storage.repositories import Repositories
from tools.ports import RiskScorer
from tools.risk import LazyRiskScorer

if TYPE_CHECKING:
    from retrieval.index import SearchIndex
    from retrieval.index_opensearch import OpenSearchIndex
    from retrieval.service import KnowledgeBase
    from scoring.client import Scorer

log = logging.getLogger(__name__)
KB_INDEX = "loan-advisor-kb"
KB_PIPELINE = "loan-advisor-kb-hybrid"


def aws_session(settings: Settings) -> Any:
    """Return a new boto3 session in the configured region.

    Not boto3's module-wide default session: that one keeps the credentials it resolved
    first, while the DynamoDB checkpointer opens its own session; with a new session each
    client resolves the same credentials (DynamoDB Local even keeps one database per key).
    """
    import boto3

    return boto3.Session(region_name=settings.aws_region)


def aws_client(settings: Settings, service: str, endpoint_url: str | None = None) -> Any:
    """Return a boto3 client in the configured region (endpoint: a local stand-in)."""
    return aws_session(settings).client(service, endpoint_url=endpoint_url)


def dynamodb_resource(settings: Settings) -> Any:
    """Return the boto3 DynamoDB resource (DynamoDB Local when an endpoint is set)."""
    return aws_session(settings).resource("dynamodb", endpoint_url=settings.dynamodb_endpoint_url)


def build_repositories(settings: Settings, clock: Clock, *, page: int = 0) -> Repositories:
    """Return SQLite repositories (default) or DynamoDB ones (`store=dynamodb`).

    `page` caps DynamoDB items per request (tests use it to force pagination).
    """
    if settings.store == "dynamodb":
        return _dynamodb_repositories(settings, clock, page)
    from storage.sqlite_repositories import sqlite_repositories

    return sqlite_repositories(settings.app_db_path, clock)


def _dynamodb_repositories(settings: Settings, clock: Clock, page: int) -> Repositories:
    from storage.dynamodb import (
        DynamoApplicationRepository,
        DynamoThreadRepository,
        DynamoUserRepository,
    )
    from storage.dynamodb_events import DynamoEventRepository
    from storage.dynamodb_feedback_reviews import DynamoFeedbackReviewRepository
    from storage.dynamodb_records import (
        DynamoDocumentRepository,
        DynamoFeedbackRepository,
        DynamoOfferRepository,
        DynamoTable,
    )

    name = table_name(settings.dynamodb_table_prefix, RECORDS)
    table = DynamoTable(dynamodb_resource(settings), name, page=page)
    return Repositories(
        users=DynamoUserRepository(table),
        threads=DynamoThreadRepository(table, clock),
        applications=DynamoApplicationRepository(table),
        offers=DynamoOfferRepository(table),
        documents=DynamoDocumentRepository(table),
        feedback=DynamoFeedbackRepository(table),
        feedback_reviews=DynamoFeedbackReviewRepository(table),
        events=DynamoEventRepository(table, clock),
        ping=table.ping,
        close=lambda: None,
    )


def build_experiments(settings: Settings, clock: Clock) -> ExperimentStore:
    """Return the experiment store: the records table when `store=dynamodb`, else SQLite."""
    if settings.store == "dynamodb":
        from experiments.store_dynamodb import DynamoExperimentStore
        from storage.dynamodb_records import DynamoTable

        name = table_name(settings.dynamodb_table_prefix, RECORDS)
        return DynamoExperimentStore(DynamoTable(dynamodb_resource(settings), name), clock)
    return build_experiment_store(settings.var_dir / "experiments.sqlite", clock)


def build_blob_store(settings: Settings) -> BlobStore:
    """Return S3 in AWS mode, else files under var/documents."""
    if settings.mode == "aws":
        client = aws_client(settings, "s3", settings.s3_endpoint_url)
        return S3BlobStore(client, settings.documents_bucket)
    return LocalBlobStore(settings.var_dir / "documents")


def build_kb_document_store(settings: Settings) -> KbDocumentStore:
    """Return the KB document store chosen by `settings.store` (SQLite or DynamoDB)."""
    if settings.store == "dynamodb":
        from storage.kb_documents_dynamodb import DynamoKbDocumentStore

        name = table_name(settings.dynamodb_table_prefix, KB_DOCUMENTS)
        return DynamoKbDocumentStore(dynamodb_resource(settings).Table(name))
    from storage.kb_documents_sqlite import SqliteKbDocumentStore

    return SqliteKbDocumentStore(settings.var_dir / "kb.sqlite")


def build_opensearch_index(settings: Settings, dimension: int) -> OpenSearchIndex:
    """Return the OpenSearch index client (the index itself exists: bootstrap made it)."""
    from opensearchpy import OpenSearch

    from retrieval.index_opensearch import OpenSearchIndex

    client = OpenSearch(hosts=[settings.opensearch_url], timeout=10)
    # The normalisation pipeline serves hybrid queries only (osmem-server, for one, has none).
    pipeline = KB_PIPELINE if settings.kb_search_mode == "hybrid" else None
    return OpenSearchIndex(client, KB_INDEX, dimension, pipeline=pipeline)


def _search_index(settings: Settings, dimension: int, index_dir: Path) -> SearchIndex:
    if settings.kb_index == "opensearch":
        return build_opensearch_index(settings, dimension)
    from retrieval.index_embedded import EmbeddedIndex

    if EmbeddedIndex.exists(index_dir):
        return EmbeddedIndex.load(index_dir, dimension)
    return EmbeddedIndex(index_dir, dimension)


def build_knowledge_base(
    settings: Settings, *, encoder: Any = None, sync: bool | None = None
) -> KnowledgeBase:
    """Build the knowledge base: document store, index and encoder from settings.

    `sync=None` (default) syncs the corpus and policy sheets into an empty embedded index
    (about a second with the shipped embeddings); a remote index is filled by bootstrap or
    `kb` commands, never while serving. `sync=True` always syncs, `sync=False` never does.
    """
    from retrieval.embeddings import SEED_PATH, EmbeddingCache
    from retrieval.minilm import MiniLmEncoder
    from retrieval.service import KnowledgeBase

    enc = encoder or MiniLmEncoder(cache_dir=settings.var_dir / "models")
    cache = EmbeddingCache(
        settings.var_dir / "kb_embeddings.npz", enc.dimension, model_id=enc.model_id, seed=SEED_PATH
    )
    index_dir = settings.var_dir / "kb_index"
    index = _search_index(settings, enc.dimension, index_dir)
    kb = KnowledgeBase(
        store=build_kb_document_store(settings),
        index=index,
        encoder=enc,
        cache=cache,
        index_dir=index_dir,
        default_mode=settings.kb_search_mode,
    )
    if sync is None:
        sync = settings.kb_index == "embedded" and not index.indexed_versions()
    if sync:
        from retrieval.updates import sync_corpus

        sync_corpus(kb)
    return kb


def build_serving_knowledge_base(settings: Settings) -> KnowledgeBase | None:
    """Return the knowledge base, or None when it cannot be opened (readyz says so)."""
    try:
        return build_knowledge_base(settings)
    except Exception:  # a missing index must not stop chat and applications from working
        log.exception("knowledge base unavailable")
        return None


def build_row_scorer(settings: Settings) -> Scorer:
    """Return the scorer `settings.scorer` names (inprocess | http | sagemaker).

    `inprocess` loads the champion from the var dir now, so a missing model raises
    `NotFound` here; the remote transports connect on first use.
    """
    from scoring.client import HttpScorer, InProcessScorer, SageMakerScorer

    if settings.scorer == "http":
        return HttpScorer(settings.scoring_url, timeout=settings.scoring_timeout_seconds)
    if settings.scorer == "sagemaker":
        return SageMakerScorer(
            settings.sagemaker_endpoint,
            region=settings.aws_region,
            endpoint_url=settings.sagemaker_endpoint_url,
            timeout=settings.scoring_timeout_seconds,
        )
    from scoring.registry import load_champion

    return InProcessScorer(load_champion(settings.var_dir))


def build_scorer(settings: Settings) -> RiskScorer:
    """Return the credit model, loaded on first use so start-up never waits for it."""
    return LazyRiskScorer(lambda: build_row_scorer(settings))


def provider_options(settings: Settings, bedrock_client: Any = None) -> ProviderOptions:
    """Return what the chat-model factory needs, taken from settings."""
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
    return ProviderOptions(
        provider=settings.provider,
        timeout_seconds=settings.bedrock_timeout_seconds,
        max_tokens=settings.bedrock_max_tokens,
        openai_base_url=settings.openai_base_url,
        openai_api_key=key,
        bedrock_region=settings.bedrock_region,
        bedrock_endpoint_url=settings.bedrock_endpoint_url,
        bedrock_client=bedrock_client,
        temperature=settings.llm_temperature,
        bedrock_guardrail_id=settings.bedrock_guardrail_id,
        bedrock_guardrail_version=settings.bedrock_guardrail_version,
    )


def build_llm_cache(settings: Settings, clock: Clock) -> BaseCache:
    """Return the LLM cache: DynamoDB when records live there (AWS), else SQLite under var/."""
    if settings.store == "dynamodb":
        from agent.cache_dynamodb import DynamoTTLCache

        client = aws_client(settings, "dynamodb", settings.dynamodb_endpoint_url)
        name = table_name(settings.dynamodb_table_prefix, LLM_CACHE)
        return DynamoTTLCache(client, name, clock)
    return SqliteTTLCache(settings.var_dir / "llm_cache.sqlite", clock)


def build_chat_model(
    settings: Settings, clock: Clock, *, model: BaseChatModel | None = None
) -> BaseChatModel:
    """Return the configured chat model with the LLM cache attached to remote ones.

    `model` replaces the provider's client (tests pass a fake Bedrock model); it still gets
    the cache, so the cache path is the one production takes.
    """
    if model is None:
        model = make_chat_model(provider_options(settings))
    if not settings.provider.startswith("offline") and model.cache is None:
        model.cache = build_llm_cache(settings, clock)
    return model
