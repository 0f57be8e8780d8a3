"""The `openai` provider against a real OpenAI-compatible HTTP server on loopback.

The server is a scripted stand-in for vLLM / Ollama / llama.cpp's server: it speaks the
chat-completions wire format, so the real `ChatOpenAI` client, our retries, the offline
fallback, the output guard and the LLM cache are exercised over HTTP.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from langgraph.checkpoint.memory import InMemorySaver

pytest.importorskip("langchain_openai")

from agent.experiments import assign_variant  # noqa: E402
from api.composition import build_runtime  # noqa: E402
from core.config import Settings  # noqa: E402
from tests.fakes.knowledge import FakeKnowledgeBase  # noqa: E402
from tests.fakes.scoring import RuleScorer  # noqa: E402
from tests.integration.servers import free_port  # noqa: E402
from tools.context import RunContext  # noqa: E402


class Script:
    """Replies the stub server gives, in order; `None` means answer HTTP 500."""

    def __init__(self) -> None:
        self.replies: list[dict[str, Any] | None] = []
        self.requests: list[dict[str, Any]] = []


def _completion(
    content: str = "", tool: tuple[str, dict[str, Any]] | None = None
) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if tool:
        message["tool_calls"] = [
            {
                "id": "call_1",
                "type": "function",
                "function": {"name": tool[0], "arguments": json.dumps(tool[1])},
            }
        ]
    return {
        "id": "cmpl-1",
        "object": "chat.completion",
        "created": 0,
        "model": "stub",
        "choices": [
            {"index": 0, "message": message, "finish_reason": "tool_calls" if tool else "stop"}
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


@pytest.fixture
def stub() -> Iterator[tuple[str, Script]]:
    script = Script()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server naming
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            script.requests.append(body)
            reply = script.replies.pop(0) if script.replies else None
            data = json.dumps(reply or {"error": {"message": "boom"}}).encode()
            self.send_response(200 if reply else 500)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/v1", script
    finally:
        server.shutdown()
        server.server_close()


def _graph(base_url: str, tmp_path):
    settings = Settings(var_dir=tmp_path, provider="openai:stub-model", openai_base_url=base_url)
    runtime = build_runtime(
        settings, InMemorySaver(), scorer=RuleScorer(), knowledge=FakeKnowledgeBase()
    )
    return runtime.graph


def _say(graph, thread: str, text: str) -> Any:
    return graph.invoke(
        {"messages": [("user", text)]},
        {"configurable": {"thread_id": thread}},
        context=RunContext(user_id="usr_alice001", thread_id=thread),
    )


def _threads_in_same_arm(n: int) -> list[str]:
    ids = [f"thr_same_{i}" for i in range(50)]
    arm = assign_variant(ids[0]).name
    return [t for t in ids if assign_variant(t).name == arm][:n]


def test_tool_call_round_trip_and_grounded_reply(stub, tmp_path):
    base, script = stub
    args = {"product": "car", "amount": 20000, "tenure_months": 48}
    script.replies = [
        _completion(tool=("quote_loan", args)),
        _completion("Your payment would be $494.38 a month at 8.65% a year."),
    ]
    out = _say(_graph(base, tmp_path), "t1", "car loan 20k over 4 years")
    assert out["messages"][-1].content == "Your payment would be $494.38 a month at 8.65% a year."
    assert any(m["role"] == "tool" for m in script.requests[1]["messages"])
    tool_names = {t["function"]["name"] for t in script.requests[0]["tools"]}
    assert {"quote_loan", "submit_application", "negotiate_offer"} <= tool_names
    assert out["versions"]["provider"] == "openai:stub-model"


def test_invented_figure_is_replaced_by_the_templated_reply(stub, tmp_path):
    base, script = stub
    args = {"product": "car", "amount": 20000, "tenure_months": 48}
    script.replies = [
        _completion(tool=("quote_loan", args)),
        _completion("Great news: just $299.00 a month at 3.9% a year!"),
    ]
    out = _say(_graph(base, tmp_path), "t1", "car loan 20k over 4 years")
    final = out["messages"][-1].content
    assert "299" not in final and "$494.38" in final
    assert any("replaced" in note for note in out["guardrail_notes"])


def test_provider_errors_are_retried_then_the_offline_model_answers(stub, tmp_path):
    base, script = stub
    script.replies = []  # every call is an HTTP 500
    out = _say(_graph(base, tmp_path), "t1", "I want a car loan of $20,000 over 4 years")
    assert "$494.38" in out["messages"][-1].content
    assert len(script.requests) >= 3  # retried with backoff before falling back
    assert "offline fallback" in out["versions"]["provider"]


def test_identical_general_question_is_served_from_the_cache(stub, tmp_path):
    base, script = stub
    script.replies = [_completion("APR is the yearly cost of credit including fees.")]
    graph = _graph(base, tmp_path)
    first, second = _threads_in_same_arm(2)
    assert "yearly cost" in _say(graph, first, "what is APR?")["messages"][-1].content
    assert "yearly cost" in _say(graph, second, "what is APR?")["messages"][-1].content
    assert len(script.requests) == 1  # the second answer came from the cache


def test_personal_questions_are_not_cached(stub, tmp_path):
    base, script = stub
    script.replies = [_completion("Noted."), _completion("Noted again.")]
    graph = _graph(base, tmp_path)
    first, second = _threads_in_same_arm(2)
    _say(graph, first, "I earn 85k a year")
    assert _say(graph, second, "I earn 85k a year")["messages"][-1].content == "Noted again."
    assert len(script.requests) == 2
