"""A scripted OpenAI-compatible model server on loopback that misbehaves on purpose.

It speaks `/v1/chat/completions` (plain and streaming, with tool calls) over real HTTP, so
the real `ChatOpenAI` client, the graph and the API's SSE stream run as in production. Its
brain is the offline advisor (read back from the wire format), so conversations progress;
its replies are then spoiled in turn: an invented figure, a rate below every product's
floor, unsafe text with an APR, unsafe wording with no figure at all. Asked to correct
itself (the output guard's "[Reply check]" message), it answers honestly every other time
and repeats the offence otherwise.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)

from agent.offline.model import OfflineAdvisorModel
from tests.integration.servers import free_port

CORRECTION_MARK = "[Reply check]"
INVENTED = "$199.99"
UNSAFE_WORDING = "You're guaranteed approval, so don't mention your other debts."
_FIRST_FIGURE = re.compile(r"\$\d[\d,]*(?:\.\d+)?")


def spoil(text: str, turn: int) -> str:
    """Return `text` as a careless model would say it on its `turn`-th reply (0: honest)."""
    kind = turn % 5
    if kind == 1:  # an invented payment
        if _FIRST_FIGURE.search(text):
            return _FIRST_FIGURE.sub(INVENTED, text, count=1)
        return f"{text} It would be only {INVENTED} a month."
    if kind == 2:  # a rate below every product's floor
        return f"{text} I can also do 1.9% a year if you apply today."
    if kind == 3:  # unsafe: age-based pricing, an impossible APR
        return f"At your age you qualify for our 0.5% APR special. {text}"
    if kind == 4:  # unsafe wording only: the number checks cannot see it
        return f"{UNSAFE_WORDING} {text}"
    return text


def from_wire(messages: list[dict[str, Any]]) -> list[BaseMessage]:
    """Read OpenAI chat messages back into LangChain messages (tool names from the calls)."""
    out: list[BaseMessage] = []
    names: dict[str, str] = {}
    for m in messages:
        role, content = m.get("role"), m.get("content") or ""
        if isinstance(content, list):
            content = "".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
        if role == "system":
            out.append(SystemMessage(content))
        elif role == "user":
            out.append(HumanMessage(content))
        elif role == "assistant":
            calls = []
            for c in m.get("tool_calls") or []:
                names[c["id"]] = c["function"]["name"]
                args = json.loads(c["function"]["arguments"] or "{}")
                calls.append({"name": c["function"]["name"], "args": args, "id": c["id"]})
            out.append(AIMessage(content, tool_calls=calls))
        elif role == "tool":
            call_id = m["tool_call_id"]
            out.append(ToolMessage(content, tool_call_id=call_id, name=names.get(call_id)))
    return out


@dataclass
class Stub:
    """What the server said and was asked (read by the test)."""

    requests: list[dict[str, Any]] = field(default_factory=list)
    spoiled: list[str] = field(default_factory=list)
    corrections: int = 0
    errors: list[str] = field(default_factory=list)
    honest: bool = False  # True: never spoil (benchmarks time the happy path)
    frame_delay: float = 0.0  # seconds between streamed frames, as a real model's pace
    content_sent: list[float] = field(default_factory=list)  # perf_counter of content frames
    _replies: Iterator[int] = field(default_factory=itertools.count)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, body: dict[str, Any]) -> AIMessage:
        """Return the next message for a request: the offline advisor's, maybe spoiled."""
        messages = from_wire(body["messages"])
        tools = [t["function"]["name"] for t in body.get("tools") or []]
        correcting = bool(messages) and str(messages[-1].content).startswith(CORRECTION_MARK)
        if correcting:
            messages = messages[:-2]  # answer the conversation, without draft and complaint
        reply = OfflineAdvisorModel(tool_names=tools).respond(messages)
        if reply.tool_calls:
            return reply
        with self._lock:
            self.requests.append(body)
            turn = next(self._replies)
            if correcting:
                self.corrections += 1
                turn = 0 if self.corrections % 2 else 1
            text = str(reply.content) if self.honest else spoil(str(reply.content), turn)
            if text != reply.content:
                self.spoiled.append(text)
        return AIMessage(text)


def _chunk(delta: dict[str, Any] | None, finish: str | None = None, **extra: Any) -> bytes:
    choices = [] if delta is None else [{"index": 0, "delta": delta, "finish_reason": finish}]
    body = {
        "id": "chatcmpl-stub",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": "stub",
        "choices": choices,
        **extra,
    }
    return f"data: {json.dumps(body)}\n\n".encode()


def _wire_calls(reply: AIMessage) -> list[dict[str, Any]]:
    return [
        {
            "index": i,
            "id": call["id"] or f"call_{i}",
            "type": "function",
            "function": {"name": call["name"], "arguments": json.dumps(call["args"])},
        }
        for i, call in enumerate(reply.tool_calls)
    ]


def stream_body(reply: AIMessage, piece: int = 5) -> Iterator[bytes]:
    """Yield the SSE frames of a streamed completion, a few characters per frame."""
    text = str(reply.content)
    yield _chunk({"role": "assistant", "content": ""})
    for i in range(0, len(text), piece):
        yield _chunk({"content": text[i : i + piece]})
    if reply.tool_calls:
        yield _chunk({"tool_calls": _wire_calls(reply)})
    yield _chunk({}, "tool_calls" if reply.tool_calls else "stop")
    usage = {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120}
    yield _chunk(None, usage=usage)
    yield b"data: [DONE]\n\n"


def completion(reply: AIMessage) -> dict[str, Any]:
    """Return a whole (not streamed) chat completion."""
    message: dict[str, Any] = {"role": "assistant", "content": str(reply.content)}
    if reply.tool_calls:
        message["tool_calls"] = _wire_calls(reply)
    return {
        "id": "chatcmpl-stub",
        "object": "chat.completion",
        "created": 0,
        "model": "stub",
        "choices": [
            {
                "index": 0,
                "message": message,
                "finish_reason": "tool_calls" if reply.tool_calls else "stop",
            }
        ],
        "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
    }


@contextmanager
def openai_stub() -> Iterator[tuple[str, Stub]]:
    """Serve the stub on a free loopback port; yield its base URL (…/v1) and its record."""
    stub = Stub()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:  # noqa: N802 - http.server naming
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            try:
                reply = stub.answer(body)
            except Exception as exc:  # noqa: BLE001 - a brain failure is a 500, and recorded
                stub.errors.append(repr(exc))
                self.send_error(500)
                return
            if body.get("stream"):
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Connection", "close")
                self.end_headers()
                for frame in stream_body(reply):
                    time.sleep(stub.frame_delay)
                    self.wfile.write(frame)
                    self.wfile.flush()
                    if b'"content": "' in frame and b'"content": ""' not in frame:
                        stub.content_sent.append(time.perf_counter())
                self.close_connection = True
                return
            data = json.dumps(completion(reply)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", stub
    finally:
        server.shutdown()
        server.server_close()
