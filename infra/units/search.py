"""Search unit: the OpenSearch domain behind the KB index (BM25 + k-NN hybrid).

A managed domain rather than a Serverless collection: fine-grained access control (per-index
roles, the API as master user through IAM) exists only on domains, and the retrieval code's
hybrid search pipeline (`retrieval/index_opensearch.py`) is a domain feature. The k-NN plugin
ships with every OpenSearch engine version, so the `index.knn` setting the code writes works
without extra options. HTTPS is enforced, data is encrypted at rest and between nodes, and
access is IAM-signed: only the role given as `master_role` can reach it.
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_opensearchservice as opensearch
from constructs import Construct

from infra.config import SearchConfig

# Exactly the HTTP verbs the index code sends (no es:* and no domain configuration rights).
SEARCH_HTTP_ACTIONS = [
    "es:ESHttpGet",
    "es:ESHttpHead",
    "es:ESHttpPost",
    "es:ESHttpPut",
    "es:ESHttpDelete",
]


class KbSearch(Construct):
    """The KB index domain."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: SearchConfig,
        master_role: iam.IRole,
        retain: bool,
    ) -> None:
        super().__init__(scope, construct_id)
        zone_awareness = (
            opensearch.ZoneAwarenessConfig(enabled=True, availability_zone_count=2)
            if config.multi_az and config.instance_count >= 2
            else None
        )
        self.domain = opensearch.Domain(
            self,
            "Domain",
            version=opensearch.EngineVersion.open_search(
                config.engine_version.removeprefix("OpenSearch_")
            ),
            capacity=opensearch.CapacityConfig(
                data_node_instance_type=config.instance_type,
                data_nodes=config.instance_count,
                multi_az_with_standby_enabled=False,
            ),
            ebs=opensearch.EbsOptions(
                volume_size=config.volume_gb, volume_type=cdk.aws_ec2.EbsDeviceVolumeType.GP3
            ),
            zone_awareness=zone_awareness,
            enforce_https=True,
            tls_security_policy=opensearch.TLSSecurityPolicy.TLS_1_2,
            node_to_node_encryption=True,
            encryption_at_rest=opensearch.EncryptionAtRestOptions(enabled=True),
            fine_grained_access_control=opensearch.AdvancedSecurityOptions(
                master_user_arn=master_role.role_arn
            ),
            removal_policy=cdk.RemovalPolicy.RETAIN if retain else cdk.RemovalPolicy.DESTROY,
        )

    @property
    def url(self) -> str:
        """Return the HTTPS endpoint the API's `LOAN_ADVISOR_OPENSEARCH_URL` takes."""
        return f"https://{self.domain.domain_endpoint}"

    def access_statement(self) -> iam.PolicyStatement:
        """Return the statement letting a role query and maintain the KB index."""
        return iam.PolicyStatement(
            actions=SEARCH_HTTP_ACTIONS,
            resources=[self.domain.domain_arn, f"{self.domain.domain_arn}/*"],
        )
