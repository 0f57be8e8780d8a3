"""Bedrock Converse through a stubbed bedrock-runtime client (botocore Stubber): no network.

What goes out (system prompt, our tools as toolConfig, inferenceConfig, guardrailConfig),
what comes back (tool calls, streamed deltas, stop reasons, token use), throttling retried
with backoff, and a read timeout that ends in the offline model's answer rather than a 5xx.
"""

from __future__ import annotations

import json
import struct
import zlib
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ReadTimeoutError
from botocore.stub import ANY, Stubber
from langchain_core.messages import HumanMessage, SystemMessage

from agent.providers import ProviderOptions, bedrock_client, make_chat_model, resilient
from tools.quote import quote_loan

MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0"  # a model langchain-aws streams


@pytest.fixture(autouse=True)
def _static_keys(monkeypatch):
    # Static keys: credentials never come from a metadata endpoint (no network in unit tests).
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")


def _options(**kw: Any) -> ProviderOptions:
    base = {"provider": f"bedrock:{MODEL}", "max_tokens": 300, "temperature": 0.2}
    return ProviderOptions(**{**base, **kw})


def _no_network(**_: Any) -> None:
    raise AssertionError("a unit test tried to reach AWS")


def _client(*, answers: Any = None) -> Any:
    """Return a real bedrock-runtime client whose sends `answers` handles (else refused)."""
    client = bedrock_client(_options(bedrock_region="eu-west-1", timeout_seconds=2))
    client.meta.events.register("before-send.bedrock-runtime", answers or _no_network)
    return client


def _captured(client: Any) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []

    def capture(params: dict[str, Any], **_: Any) -> None:
        seen.append(params)

    client.meta.events.register("provide-client-params.bedrock-runtime.*", capture)
    return seen


def _reply(content: list[dict[str, Any]], stop: str = "end_turn") -> dict[str, Any]:
    return {
        "output": {"message": {"role": "assistant", "content": content}},
        "stopReason": stop,
        "usage": {"inputTokens": 1200, "outputTokens": 40, "totalTokens": 1240},
        "metrics": {"latencyMs": 12},
    }


TOOL_USE = {"toolUse": {"toolUseId": "tu1", "name": "quote_loan",
            "input": {"product": "car", "amount": 20000, "tenure_months": 48}}}  # fmt: skip


def test_the_client_bounds_each_call_and_leaves_retries_to_us():
    config = _client().meta.config
    assert (config.read_timeout, config.connect_timeout) == (2, 2)
    assert config.retries["total_max_attempts"] == 1


def test_converse_request_carries_system_prompt_tools_inference_and_guardrail():
    client = _client()
    seen = _captured(client)
    model = make_chat_model(
        _options(
            bedrock_client=client, bedrock_guardrail_id="gr-123", bedrock_guardrail_version="2"
        )
    )
    stub = Stubber(client)
    stub.add_response("converse", _reply([TOOL_USE], "tool_use"), {
        "modelId": MODEL, "messages": ANY, "system": ANY, "toolConfig": ANY,
        "inferenceConfig": {"maxTokens": 300, "temperature": 0.2},
        "guardrailConfig": {"guardrailIdentifier": "gr-123", "guardrailVersion": "2",
                            "trace": "enabled"},
    })  # fmt: skip
    with stub:
        reply = model.bind_tools([quote_loan]).invoke(
            [SystemMessage("You are the advisor."), HumanMessage("car 20k over 4 years")]
        )
    request = seen[0]
    assert request["system"] == [{"text": "You are the advisor."}]
    spec = request["toolConfig"]["tools"][0]["toolSpec"]
    assert spec["name"] == "quote_loan" and "tenure_months" in str(spec["inputSchema"])
    assert reply.tool_calls[0]["name"] == "quote_loan"
    assert reply.tool_calls[0]["args"]["amount"] == 20000
    assert reply.response_metadata["stopReason"] == "tool_use"
    assert reply.usage_metadata["input_tokens"] == 1200  # type: ignore[index]
    stub.assert_no_pending_responses()


def test_no_guardrail_config_without_a_guardrail_id():
    client = _client()
    seen = _captured(client)
    stub = Stubber(client)
    stub.add_response("converse", _reply([{"text": "Hi"}]))
    with stub:
        make_chat_model(_options(bedrock_client=client)).invoke([HumanMessage("hi")])
    assert "guardrailConfig" not in seen[0]


def _frame(event_type: str, body: dict[str, Any]) -> bytes:
    """Encode one AWS event-stream message (prelude, headers, JSON payload, CRCs)."""
    headers = b""
    for name, value in ((":event-type", event_type), (":content-type", "application/json"),
                        (":message-type", "event")):  # fmt: skip
        headers += bytes([len(name)]) + name.encode() + b"\x07"
        headers += struct.pack(">H", len(value)) + value.encode()
    payload = json.dumps(body).encode()
    prelude = struct.pack(">II", 12 + len(headers) + len(payload) + 4, len(headers))
    prelude += struct.pack(">I", zlib.crc32(prelude))
    message = prelude + headers + payload
    return message + struct.pack(">I", zlib.crc32(message))


class _Raw:
    """The raw HTTP body botocore reads an event stream from."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def stream(self, **_: Any) -> Any:
        yield self.data

    def read(self, *_: Any) -> bytes:
        return self.data

    def close(self) -> None:
        pass


STREAM = [
    ("messageStart", {"role": "assistant"}),
    ("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "Your payment "}}),
    ("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "is $494.38."}}),
    ("contentBlockStop", {"contentBlockIndex": 0}),
    ("messageStop", {"stopReason": "max_tokens"}),
    ("metadata", {"usage": {"inputTokens": 900, "outputTokens": 9, "totalTokens": 909},
                  "metrics": {"latencyMs": 5}}),
]  # fmt: skip


def test_converse_stream_deltas_become_chunks_with_the_stop_reason():
    # Stubber validates a response against its shape and rejects an event stream given as a
    # list, so ConverseStream gets real wire bytes instead: botocore's own `before-send`
    # hook answers with an encoded event stream, which botocore parses as from AWS.
    body = b"".join(_frame(kind, event) for kind, event in STREAM)

    def answer(**_: Any) -> AWSResponse:
        headers = {"content-type": "application/vnd.amazon.eventstream"}
        return AWSResponse("https://bedrock.test", 200, headers, _Raw(body))

    client = _client(answers=answer)
    seen = _captured(client)
    chunks = list(make_chat_model(_options(bedrock_client=client)).stream([HumanMessage("?")]))
    assert seen[0]["inferenceConfig"] == {"maxTokens": 300, "temperature": 0.2}
    assert "".join(c.text() for c in chunks) == "Your payment is $494.38."
    assert len([c for c in chunks if c.text()]) == 2  # each delta streamed as it came
    merged = chunks[0]
    for c in chunks[1:]:
        merged = merged + c
    assert merged.response_metadata.get("stopReason") == "max_tokens"
    assert merged.usage_metadata["output_tokens"] == 9  # type: ignore[index]


def test_throttling_is_retried_with_backoff_then_answered():
    client = _client()
    stub = Stubber(client)
    stub.add_client_error("converse", "ThrottlingException", "slow down", 429)
    stub.add_response("converse", _reply([{"text": "Hello again"}]))
    model = resilient(make_chat_model(_options(bedrock_client=client)), is_offline=False)
    with stub:
        assert model.invoke([HumanMessage("hi")]).content == "Hello again"
    stub.assert_no_pending_responses()


def test_a_read_timeout_ends_in_the_offline_answer_not_a_5xx(tmp_path):
    from fastapi.testclient import TestClient

    from api.main import create_app
    from core.config import Settings
    from tests.fakes.knowledge import FakeKnowledgeBase
    from tests.fakes.scoring import RuleScorer
    from tests.unit.api.conftest import sign_up

    calls: list[str] = []

    def time_out(**kwargs: Any) -> None:
        calls.append(kwargs["event_name"])
        raise ReadTimeoutError(endpoint_url="https://bedrock-runtime.eu-west-1.amazonaws.com")

    client = _client(answers=time_out)
    model = make_chat_model(_options(bedrock_client=client))
    settings = Settings(var_dir=tmp_path, provider=f"bedrock:{MODEL}")
    app = create_app(settings, scorer=RuleScorer(), knowledge=FakeKnowledgeBase(), model=model)
    with TestClient(app) as api:
        headers = sign_up(api)
        thread = api.post("/v1/threads", json={"title": "t"}, headers=headers).json()["thread_id"]
        r = api.post(f"/v1/chat/{thread}", json={"message": "what is APR?"}, headers=headers)
    assert r.status_code == 200
    assert "event: done" in r.text and "offline fallback" in r.text
    assert len(calls) == 3  # our retries, each one Converse call (botocore's own are off)
