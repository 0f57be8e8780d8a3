"""Data unit: the DynamoDB tables of `infra.tables` and the S3 buckets.

Tables are on-demand with point-in-time recovery, server-side encryption and TTL where the code
writes an expiry. Buckets are encrypted, versioned, block all public access, deny non-TLS
requests and expire old versions, so a bad overwrite can be undone for a while and no bucket
grows without bound.
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_dynamodb as ddb
from aws_cdk import aws_s3 as s3
from constructs import Construct

from infra.tables import TABLES, Key, TableSpec

_TYPES = {
    "S": ddb.AttributeType.STRING,
    "N": ddb.AttributeType.NUMBER,
    "B": ddb.AttributeType.BINARY,
}


def _attr(key: Key) -> ddb.Attribute:
    return ddb.Attribute(name=key.name, type=_TYPES[key.type])


def secure_bucket(
    scope: Construct,
    construct_id: str,
    *,
    removal: cdk.RemovalPolicy,
    noncurrent_days: int = 90,
    expire_days: int | None = None,
    access_logs: s3.IBucket | None = None,
) -> s3.Bucket:
    """Create a bucket with the project's baseline (encrypted, private, TLS only, versioned)."""
    rules = [
        s3.LifecycleRule(
            id="expire-old-versions",
            noncurrent_version_expiration=cdk.Duration.days(noncurrent_days),
            abort_incomplete_multipart_upload_after=cdk.Duration.days(7),
        )
    ]
    if expire_days is not None:
        rules.append(
            s3.LifecycleRule(id="expire-objects", expiration=cdk.Duration.days(expire_days))
        )
    return s3.Bucket(
        scope,
        construct_id,
        encryption=s3.BucketEncryption.S3_MANAGED,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        enforce_ssl=True,
        versioned=True,
        object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        lifecycle_rules=rules,
        server_access_logs_bucket=access_logs,
        server_access_logs_prefix=f"{construct_id.lower()}/" if access_logs else None,
        removal_policy=removal,
        auto_delete_objects=False,
    )


class DataStore(Construct):
    """The tables and buckets one stage keeps its state in."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        table_prefix: str,
        retain: bool,
        capture_retention_days: int,
    ) -> None:
        super().__init__(scope, construct_id)
        removal = cdk.RemovalPolicy.RETAIN if retain else cdk.RemovalPolicy.DESTROY
        self.tables: dict[str, ddb.Table] = {
            spec.suffix: self._table(spec, table_prefix, removal) for spec in TABLES
        }
        # Access logs of the other buckets; it cannot log to itself.
        self.access_logs = s3.Bucket(
            self,
            "AccessLogs",
            encryption=s3.BucketEncryption.S3_MANAGED,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
            lifecycle_rules=[s3.LifecycleRule(id="expire-logs", expiration=cdk.Duration.days(365))],
            removal_policy=removal,
        )
        self.documents = secure_bucket(
            self, "Documents", removal=removal, access_logs=self.access_logs
        )
        self.model_artifacts = secure_bucket(
            self,
            "ModelArtifacts",
            removal=removal,
            noncurrent_days=365,
            access_logs=self.access_logs,
        )
        # Data capture holds scoring inputs (applicant features): kept only as long as drift
        # analysis needs them.
        self.data_capture = secure_bucket(
            self,
            "DataCapture",
            removal=removal,
            noncurrent_days=7,
            expire_days=capture_retention_days,
            access_logs=self.access_logs,
        )

    def _table(self, spec: TableSpec, prefix: str, removal: cdk.RemovalPolicy) -> ddb.Table:
        table = ddb.Table(
            self,
            f"Table-{spec.suffix}",
            table_name=spec.table_name(prefix),
            partition_key=_attr(spec.partition),
            sort_key=_attr(spec.sort) if spec.sort else None,
            billing_mode=ddb.BillingMode.PAY_PER_REQUEST,
            point_in_time_recovery_specification=ddb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            encryption=ddb.TableEncryption.AWS_MANAGED,
            time_to_live_attribute=spec.ttl_attribute,
            deletion_protection=removal == cdk.RemovalPolicy.RETAIN,
            removal_policy=removal,
        )
        for gsi in spec.gsis:
            table.add_global_secondary_index(
                index_name=gsi.name,
                partition_key=_attr(gsi.partition),
                sort_key=_attr(gsi.sort) if gsi.sort else None,
                projection_type=ddb.ProjectionType.ALL,
            )
        return table
