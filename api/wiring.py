"""Build the clients the API needs from settings (blob store, scorer, knowledge base)."""

from __future__ import annotations

import logging
from typing import Any

from applications.underwriting import Underwriter
from core.config import Settings
from lending.policy import load_policy
from storage.blobs import BlobStore, LocalBlobStore, S3BlobStore
from tools.ports import RiskScorer

log = logging.getLogger(__name__)


def build_blob_store(settings: Settings) -> BlobStore:
    """Return S3 in AWS mode, else files under var/documents."""
    if settings.mode == "aws":
        import boto3

        client = boto3.client(
            "s3", region_name=settings.aws_region, endpoint_url=settings.s3_endpoint_url
        )
        return S3BlobStore(client, settings.documents_bucket)
    return LocalBlobStore(settings.var_dir / "documents")


def build_scorer(settings: Settings) -> RiskScorer:
    """Return the configured credit model (loaded on first use, so start-up never waits)."""
    from agent.advisor import default_scorer

    return default_scorer(settings)


def build_knowledge_base(settings: Settings) -> Any:
    """Return the knowledge base, or None when its index cannot be built (readyz says so)."""
    try:
        from agent.advisor import default_knowledge

        return default_knowledge(settings)
    except Exception:  # a missing index must not stop chat and applications from working
        log.exception("knowledge base unavailable")
        return None


def build_underwriter(scorer: RiskScorer) -> Underwriter:
    """Return the decision path shared with the agent's tools."""
    return Underwriter(scorer, load_policy())
