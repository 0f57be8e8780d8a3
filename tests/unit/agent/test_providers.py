"""The provider factory: Bedrock's Converse model gets a reply cap, a timeout and no retries."""

from __future__ import annotations

from pathlib import Path

import boto3
from botocore.stub import ANY, Stubber
from langchain_core.messages import HumanMessage

from agent.offline.model import OfflineAdvisorModel
from agent.providers import ProviderOptions, make_chat_model


def _stubbed_bedrock() -> tuple[object, Stubber]:
    client = boto3.client(
        "bedrock-runtime",
        region_name="eu-west-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    stub = Stubber(client)
    reply = {
        "output": {"message": {"role": "assistant", "content": [{"text": "Hello from Bedrock"}]}},
        "stopReason": "end_turn",
        "usage": {"inputTokens": 3, "outputTokens": 4, "totalTokens": 7},
        "metrics": {"latencyMs": 12},
    }
    expected = {
        "modelId": "anthropic.claude-test",
        "messages": ANY,
        "inferenceConfig": {"maxTokens": 256, "temperature": 0.0},
        "system": [],
    }
    stub.add_response("converse", reply, expected)
    return client, stub


def test_bedrock_model_caps_tokens_and_calls_converse_once(monkeypatch):
    # langchain-aws also builds a control-plane client: static keys stop a metadata probe.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    client, stub = _stubbed_bedrock()
    options = ProviderOptions(
        provider="bedrock:anthropic.claude-test",
        max_tokens=256,
        timeout_seconds=7,
        bedrock_client=client,
    )
    model = make_chat_model(options)
    assert model.max_tokens == 256  # type: ignore[attr-defined]
    with stub:
        reply = model.invoke([HumanMessage("hi")])
    assert reply.content == "Hello from Bedrock"
    stub.assert_no_pending_responses()


def test_offline_provider_needs_nothing():
    assert isinstance(make_chat_model(ProviderOptions()), OfflineAdvisorModel)


def test_llamacpp_is_the_openai_client_aimed_at_the_local_server():
    from agent.local_llm import LLAMACPP_BASE_URL, server_command

    model = make_chat_model(ProviderOptions(provider="llamacpp:smollm2", temperature=0.1))
    assert type(model).__name__ == "ChatOpenAI"
    assert str(model.openai_api_base) == LLAMACPP_BASE_URL  # type: ignore[attr-defined]
    assert (model.model_name, model.temperature) == ("smollm2", 0.1)  # type: ignore[attr-defined]
    assert model.extra_body == {"max_tokens": 1024}  # type: ignore[attr-defined]
    command = server_command(Path("/models/smollm2.gguf"), 9001)
    assert command[1:3] == ["-m", "llama_cpp.server"]
    assert ["--port", "9001"] == command[command.index("--port") :][:2]
    assert "chatml-function-calling" in command


def test_the_length_cap_reaches_a_self_hosted_server_under_both_names() -> None:
    """llama-cpp-python's server reads only `max_tokens`; ChatOpenAI sends the newer name."""
    from langchain_core.messages import HumanMessage

    local = make_chat_model(
        ProviderOptions(
            provider="openai:any", openai_base_url="http://127.0.0.1:9/v1", max_tokens=64
        ),
    )
    payload = local._get_request_payload([HumanMessage("hi")])  # type: ignore[attr-defined]
    assert payload["max_completion_tokens"] == 64
    assert local.extra_body == {"max_tokens": 64}  # type: ignore[attr-defined]
    hosted = make_chat_model(ProviderOptions(provider="openai:gpt-4o-mini", openai_api_key="k"))
    assert hosted.extra_body is None  # type: ignore[attr-defined]
