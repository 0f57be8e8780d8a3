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
from aws_cdk import aws_logs as logs
from aws_cdk import aws_opensearchservice as opensearch
from constructs import Construct

from infra.config import SearchConfig
from infra.nag import accept

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
        stage: str,
        master_role: iam.IRole,
        retain: bool,
    ) -> None:
        super().__init__(scope, construct_id)
        removal = cdk.RemovalPolicy.RETAIN if retain else cdk.RemovalPolicy.DESTROY
        stack = cdk.Stack.of(self)
        domain_name = f"loan-advisor-{stage}"
        domain_arn = stack.format_arn(service="es", resource="domain", resource_name=domain_name)
        log_groups = {
            kind: logs.LogGroup(
                self,
                f"{kind}Logs",
                retention=logs.RetentionDays.THREE_MONTHS,
                removal_policy=removal,
            )
            for kind in ("SlowSearch", "SlowIndex", "App")
        }
        # The domain's permission to write its logs, declared here rather than by CDK's
        # custom resource (one Lambda fewer per stage).
        log_policy = logs.CfnResourcePolicy(
            self,
            "LogsPolicy",
            policy_name=f"{domain_name}-logs",
            policy_document=cdk.Stack.of(self).to_json_string(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "es.amazonaws.com"},
                            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                            "Resource": [f"{g.log_group_arn}" for g in log_groups.values()],
                        }
                    ],
                }
            ),
        )
        zone_awareness = (
            opensearch.ZoneAwarenessConfig(enabled=True, availability_zone_count=2)
            if config.multi_az and config.instance_count >= 2
            else None
        )
        self.domain = opensearch.Domain(
            self,
            "Domain",
            domain_name=domain_name,
            version=opensearch.EngineVersion.open_search(
                config.engine_version.removeprefix("OpenSearch_")
            ),
            capacity=opensearch.CapacityConfig(
                data_node_instance_type=config.instance_type,
                data_nodes=config.instance_count,
                multi_az_with_standby_enabled=False,
                master_nodes=config.master_nodes or None,
                master_node_instance_type=config.master_instance_type
                if config.master_nodes
                else None,
            ),
            logging=opensearch.LoggingOptions(
                slow_search_log_enabled=True,
                slow_search_log_group=log_groups["SlowSearch"],
                slow_index_log_enabled=True,
                slow_index_log_group=log_groups["SlowIndex"],
                app_log_enabled=True,
                app_log_group=log_groups["App"],
            ),
            suppress_logs_resource_policy=True,
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
            removal_policy=removal,
        )
        self.domain.node.add_dependency(log_policy)
        # Resource policy on the L1: CDK's access_policies would add a custom-resource Lambda.
        cfn = self.domain.node.default_child
        assert isinstance(cfn, opensearch.CfnDomain)
        cfn.access_policies = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": master_role.role_arn},
                    "Action": SEARCH_HTTP_ACTIONS,
                    "Resource": f"{domain_arn}/*",
                }
            ],
        }
        reasons = {
            "OS1": "The API Lambda runs outside a VPC; the domain answers only IAM-signed "
            "requests of the API role (resource policy) and enforces FGAC on top",
            "OS3": "Access is by IAM identity, not IP: Lambda has no fixed addresses",
        }
        if not config.master_nodes:
            reasons["OS4"] = "Single small data node in this stage; prod runs 3 dedicated masters"
        if zone_awareness is None:
            reasons["OS7"] = "Single-AZ in this stage to save cost; prod spreads over 2 AZs"
        accept(self.domain, reasons)

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
