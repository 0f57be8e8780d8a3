"""The table specs agree with the tables the storage layer itself creates (moto, in process).

Each storage module's own create-table code runs against moto; the key schema, attribute
types, indexes and TTL it produces must be what `infra.tables` (and so the templates) declare.
"""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

from infra.tables import CHECKPOINTS, LLM_CACHE, RECORDS, TABLES, TableSpec
from storage import dynamodb_tables

PREFIX = "spec-check"


@pytest.fixture
def client(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        ddb = boto3.client("dynamodb", region_name="eu-west-1")
        dynamodb_tables.create_tables(ddb, PREFIX)  # what `loan-advisor aws bootstrap` runs
        yield ddb


def _shape(spec: TableSpec):
    keys = [(spec.partition.name, "HASH")] + ([(spec.sort.name, "RANGE")] if spec.sort else [])
    gsis = {
        g.name: [(g.partition.name, "HASH")] + ([(g.sort.name, "RANGE")] if g.sort else [])
        for g in spec.gsis
    }
    return keys, gsis


@pytest.mark.parametrize("spec", TABLES, ids=lambda s: s.suffix)
def test_code_creates_what_the_spec_declares(client, spec):
    table = client.describe_table(TableName=spec.table_name(PREFIX))["Table"]
    keys, gsis = _shape(spec)
    assert [(k["AttributeName"], k["KeyType"]) for k in table["KeySchema"]] == keys
    types = {a["AttributeName"]: a["AttributeType"] for a in table["AttributeDefinitions"]}
    assert types[spec.partition.name] == spec.partition.type
    if spec.sort:
        assert types[spec.sort.name] == spec.sort.type
    found = {
        g["IndexName"]: [(k["AttributeName"], k["KeyType"]) for k in g["KeySchema"]]
        for g in table.get("GlobalSecondaryIndexes", [])
    }
    assert found == gsis


def test_the_cache_ttl_attribute_matches(client):
    ttl = client.describe_time_to_live(TableName=LLM_CACHE.table_name(PREFIX))
    assert ttl["TimeToLiveDescription"]["AttributeName"] == LLM_CACHE.ttl_attribute


def test_the_table_names_are_the_ones_the_code_derives():
    assert dynamodb_tables.table_name(PREFIX, dynamodb_tables.CHECKPOINTS) == (
        CHECKPOINTS.table_name(PREFIX)
    )
    assert RECORDS.table_name(PREFIX) == f"{PREFIX}-records"
    assert {s.suffix for s in TABLES} == {"records", "kb-documents", "checkpoints", "llm-cache"}
    assert {s.suffix for s in TABLES} == {spec.suffix for spec in dynamodb_tables.SPECS}
