"""The DynamoDB LLM cache against DynamoDB Local: hit, expiry, no personal data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from langchain_core.messages import AIMessage, HumanMessage

from agent.cache_dynamodb import DynamoTTLCache
from api.backends import aws_client
from core.clock import FixedClock
from tests.fakes.chat_models import ScriptedChatModel
from tests.integration.test_kb_dynamodb import dynamodb_url, settings  # noqa: F401

pytestmark = pytest.mark.integration


def test_dynamodb_cache_hits_expires_and_skips_personal_data(settings):  # noqa: F811
    client = aws_client(settings, "dynamodb", settings.dynamodb_endpoint_url)
    table = f"{settings.dynamodb_table_prefix}-llm-cache"
    clock = FixedClock(datetime(2026, 11, 25, tzinfo=UTC))
    cache = DynamoTTLCache(client, table, clock, ttl_seconds=60)
    model = ScriptedChatModel(
        script=[AIMessage(t) for t in ("first", "after expiry", "p1", "p2")], cache=cache
    )
    question = [HumanMessage("what is APR?")]
    assert model.invoke(question).content == "first"
    assert model.invoke(question).content == "first"  # served from DynamoDB
    clock.advance(timedelta(seconds=61))
    assert model.invoke(question).content == "after expiry"
    personal = [HumanMessage("I earn 85k a year")]
    assert model.invoke(personal).content == "p1"
    assert model.invoke(personal).content == "p2"  # never cached
    cache.clear()
    assert client.scan(TableName=table)["Count"] == 0
