from datetime import UTC, datetime, timedelta

from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage

from agent.cache import SqliteTTLCache, carries_personal_data
from core.clock import FixedClock
from tests.fakes.chat_models import ScriptedChatModel


def _model(cache, replies):
    return ScriptedChatModel(script=[AIMessage(r) for r in replies], cache=cache)


def _cache(tmp_path, clock=None):
    clock = clock or FixedClock(datetime(2026, 11, 25, tzinfo=UTC))
    return SqliteTTLCache(tmp_path / "llm.sqlite", clock, ttl_seconds=60), clock


def test_identical_request_is_served_from_cache(tmp_path):
    cache, _ = _cache(tmp_path)
    model = _model(cache, ["APR includes fees.", "second answer"])
    prompt = [SystemMessage("system/v2"), HumanMessage("what is APR?")]
    assert model.invoke(prompt).content == "APR includes fees."
    assert model.invoke(prompt).content == "APR includes fees."
    assert cache.hits == 1 and len(model.script) == 1  # the model was called once


def test_other_prompt_version_misses(tmp_path):
    cache, _ = _cache(tmp_path)
    model = _model(cache, ["v2 answer", "v3 answer"])
    model.invoke([SystemMessage("system/v2"), HumanMessage("what is APR?")])
    out = model.invoke([SystemMessage("system/v3"), HumanMessage("what is APR?")])
    assert out.content == "v3 answer"


def test_entries_expire(tmp_path):
    cache, clock = _cache(tmp_path)
    model = _model(cache, ["first", "after expiry"])
    prompt = [HumanMessage("what is EMI?")]
    model.invoke(prompt)
    clock.advance(timedelta(seconds=61))
    assert model.invoke(prompt).content == "after expiry"


def test_personal_conversations_are_never_cached(tmp_path):
    cache, _ = _cache(tmp_path)
    model = _model(cache, ["one", "two"])
    prompt = [HumanMessage("I earn 85k a year")]
    model.invoke(prompt)
    assert model.invoke(prompt).content == "two"
    assert cache._conn.execute("SELECT COUNT(*) FROM llm_cache").fetchone()[0] == 0


def test_personal_data_detection():
    from langchain_core.load import dumps

    assert carries_personal_data(dumps([HumanMessage("mail me at a@b.com")]))
    tool = ToolMessage('{"application_id": "app_1"}', tool_call_id="c", name="submit_application")
    assert carries_personal_data(dumps([HumanMessage("hi"), tool]))
    assert not carries_personal_data(dumps([HumanMessage("what is APR?")]))
