"""Tables and buckets of the data stack: durable, encrypted, private, TLS only."""

from __future__ import annotations

from infra.tables import TABLES


def test_every_table_is_on_demand_with_pitr_and_encryption(synth, stage):
    tables = synth.resources(stage, "Data", "AWS::DynamoDB::Table")
    assert len(tables) == len(TABLES)
    for table in tables.values():
        props = table["Properties"]
        assert props["BillingMode"] == "PAY_PER_REQUEST"
        assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
        assert props["SSESpecification"]["SSEEnabled"] is True


def test_tables_carry_the_names_keys_indexes_and_ttl_of_the_spec(synth, stage):
    prefix = {"staging": "loan-advisor-staging", "prod": "loan-advisor"}[stage]
    tables = {
        t["Properties"]["TableName"]: t["Properties"]
        for t in synth.resources(stage, "Data", "AWS::DynamoDB::Table").values()
    }
    for spec in TABLES:
        props = tables[spec.table_name(prefix)]
        keys = {k["KeyType"]: k["AttributeName"] for k in props["KeySchema"]}
        assert keys["HASH"] == spec.partition.name
        assert keys.get("RANGE") == (spec.sort.name if spec.sort else None)
        types = {a["AttributeName"]: a["AttributeType"] for a in props["AttributeDefinitions"]}
        assert types[spec.partition.name] == spec.partition.type
        gsis = {g["IndexName"]: g for g in props.get("GlobalSecondaryIndexes", [])}
        assert set(gsis) == {g.name for g in spec.gsis}
        for gsi in spec.gsis:
            assert gsis[gsi.name]["Projection"] == {"ProjectionType": "ALL"}
        ttl = props.get("TimeToLiveSpecification")
        if spec.ttl_attribute:
            assert ttl == {"AttributeName": spec.ttl_attribute, "Enabled": True}
        else:
            assert ttl is None


def test_prod_tables_are_retained_and_protected(synth):
    for table in synth.resources("prod", "Data", "AWS::DynamoDB::Table").values():
        assert table["DeletionPolicy"] == "Retain"
        assert table["Properties"]["DeletionProtectionEnabled"] is True


def _all_buckets(synth, stage):
    for stack in ("Data", "Api"):
        for logical_id, bucket in synth.resources(stage, stack, "AWS::S3::Bucket").items():
            yield stack, logical_id, bucket


def test_every_bucket_is_encrypted_and_blocks_public_access(synth, stage):
    buckets = list(_all_buckets(synth, stage))
    assert len(buckets) == 5  # access logs, documents, model artifacts, data capture, web app
    for _, _, bucket in buckets:
        props = bucket["Properties"]
        assert props["PublicAccessBlockConfiguration"] == {
            "BlockPublicAcls": True,
            "BlockPublicPolicy": True,
            "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True,
        }
        rule = props["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
        assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] in {"AES256", "aws:kms"}
        assert props["LifecycleConfiguration"]["Rules"]


def test_data_buckets_are_versioned(synth, stage):
    for _, logical_id, bucket in _all_buckets(synth, stage):
        if "AccessLogs" not in logical_id:
            assert bucket["Properties"]["VersioningConfiguration"] == {"Status": "Enabled"}


def test_every_bucket_policy_denies_requests_without_tls(synth, stage):
    for stack in ("Data", "Api"):
        buckets = synth.resources(stage, stack, "AWS::S3::Bucket")
        policies = synth.resources(stage, stack, "AWS::S3::BucketPolicy").values()
        covered = set()
        for policy in policies:
            statements = policy["Properties"]["PolicyDocument"]["Statement"]
            if any(
                s["Effect"] == "Deny"
                and s["Action"] == "s3:*"
                and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
                for s in statements
            ):
                covered.add(policy["Properties"]["Bucket"]["Ref"])
        assert covered == set(buckets)


def test_data_capture_expires(synth):
    staging = next(
        b
        for logical_id, b in synth.resources("staging", "Data", "AWS::S3::Bucket").items()
        if "DataCapture" in logical_id
    )
    rules = staging["Properties"]["LifecycleConfiguration"]["Rules"]
    assert {"Id": "expire-objects", "ExpirationInDays": 30, "Status": "Enabled"} in rules
