"""Create what AWS mode serves from: DynamoDB tables, the documents bucket, the KB index.

`loan-advisor aws bootstrap` runs this once per environment (against AWS, or local
stand-ins with `--endpoint-url`); serving never creates anything. Every step is idempotent,
so a re-run reports "exists" and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from api.backends import aws_client, build_knowledge_base, build_opensearch_index
from core.config import Settings
from storage.dynamodb_tables import create_tables

Report = Callable[[str], None]


def _bucket(settings: Settings) -> str:
    from botocore.exceptions import ClientError

    s3 = aws_client(settings, "s3", settings.s3_endpoint_url)
    name = settings.documents_bucket
    try:
        s3.head_bucket(Bucket=name)
        return "exists"
    except ClientError as exc:
        if exc.response["Error"]["Code"] not in ("404", "NoSuchBucket", "NotFound"):
            raise
    if settings.aws_region == "us-east-1":  # S3 refuses a location constraint of us-east-1
        s3.create_bucket(Bucket=name)
    else:
        s3.create_bucket(
            Bucket=name, CreateBucketConfiguration={"LocationConstraint": settings.aws_region}
        )
    return "created"


def bootstrap(settings: Settings, *, endpoint_url: str | None = None, report: Report) -> None:
    """Create the tables, bucket and index the settings point at; `report` gets one line each.

    `endpoint_url` replaces the DynamoDB and S3 endpoints (one stand-in for both, as
    LocalStack offers); without it each service uses its own setting.
    """
    if endpoint_url:
        update = {"dynamodb_endpoint_url": endpoint_url, "s3_endpoint_url": endpoint_url}
        settings = settings.model_copy(update=update)
    if settings.store == "dynamodb":
        client = aws_client(settings, "dynamodb", settings.dynamodb_endpoint_url)
        for name, state in create_tables(client, settings.dynamodb_table_prefix):
            report(f"table {name}: {state}")
    if settings.mode == "aws":
        report(f"bucket {settings.documents_bucket}: {_bucket(settings)}")
    if settings.kb_index == "opensearch":
        from retrieval.minilm import MiniLmEncoder

        encoder = MiniLmEncoder(cache_dir=settings.var_dir / "models")
        build_opensearch_index(settings, encoder.dimension).ensure()
        kb = build_knowledge_base(settings, encoder=encoder, sync=True)
        report(f"knowledge base {kb.snapshot}: index {settings.opensearch_url} ready")
