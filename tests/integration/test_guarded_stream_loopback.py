"""Evals suites against a misbehaving OpenAI-compatible model on loopback: no bad figure shown.

The model server (`openai_stub`) streams replies that invent payments, quote rates below
every product's floor, say unsafe things with an impossible APR, or unsafe things with no
figure at all. The real API serves the
evals runner over HTTP; a tee in front of the app keeps the raw bytes of every chat stream,
and every `token`, `replace` and `done` text in them is checked against what the thread's
tool results and the applicant's own messages support, as the client received it.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
import uvicorn

pytest.importorskip("langchain_openai")

from langchain_core.messages import AnyMessage, HumanMessage, ToolMessage  # noqa: E402

from agent.guardrails import grounded_numbers, numbers_in  # noqa: E402
from api.main import create_app  # noqa: E402
from cli.scoring import ensure_champion  # noqa: E402
from core.config import Settings  # noqa: E402
from evals.runner import Job, RunOptions, run_jobs  # noqa: E402
from evals.suites import available, load  # noqa: E402
from tests.integration.openai_stub import INVENTED, UNSAFE_WORDING, openai_stub  # noqa: E402

pytestmark = pytest.mark.integration
CASES_PER_SUITE = 3  # every suite, its first cases: the whole set takes minutes on 2 cores


@dataclass
class Exchange:
    """One chat request as it crossed the wire: the thread, the message, the raw SSE body."""

    thread: str
    request: bytes = b""
    body: bytearray = field(default_factory=bytearray)

    def events(self) -> list[tuple[str, Any]]:
        """Parse the raw SSE body into (event, data) pairs."""
        out, name = [], None
        for line in self.body.decode().splitlines():
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:") and name:
                out.append((name, json.loads(line[5:].strip())))
        return out


class SseTee:
    """ASGI middleware that records every chat request and the bytes streamed back."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.exchanges: list[Exchange] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not path.startswith("/v1/chat/"):
            await self.app(scope, receive, send)
            return
        exchange = Exchange(thread=path.rsplit("/", 1)[-1])
        self.exchanges.append(exchange)

        async def tee_receive() -> Any:
            message = await receive()
            if message["type"] == "http.request":
                exchange.request += message.get("body", b"")
            return message

        async def tee_send(message: Any) -> None:
            if message["type"] == "http.response.body":
                exchange.body.extend(message.get("body", b""))
            await send(message)

        await self.app(scope, tee_receive, tee_send)


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """Run `app` with uvicorn on a free loopback port in a thread; yield its base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_config=None, access_log=False, lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the API did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


def shown_texts(events: list[tuple[str, Any]]) -> list[str]:
    """Return every text the client puts on screen: each streamed run, replacement, final."""
    texts, run = [], ""
    for name, data in events:
        if name == "token":
            run += str(data["text"])
            texts.append(str(data["text"]))
        elif name in ("replace", "done"):
            texts.extend([run, str(data["text"])])
            run = str(data["text"]) if name == "replace" else ""
    return [*texts, run]


def ungrounded_on_screen(exchanges: list[Exchange]) -> list[tuple[str, str, str]]:
    """Return (thread, number, text) for each figure shown that the thread did not ground."""
    seen: dict[str, list[AnyMessage]] = {}
    bad: list[tuple[str, str, str]] = []
    for exchange in exchanges:
        thread = seen.setdefault(exchange.thread, [])
        thread.append(HumanMessage(json.loads(exchange.request)["message"]))
        events = exchange.events()
        for name, data in events:
            if name == "tool_end":
                thread.append(ToolMessage(json.dumps(data["result"]), tool_call_id="x"))
        grounded = grounded_numbers(thread)
        for text in shown_texts(events):
            bad.extend((exchange.thread, n, text) for n in numbers_in(text) - grounded)
    return bad


def test_no_ungrounded_figure_reaches_the_client(tmp_path):
    ensure_champion(tmp_path, rows=2000)
    jobs = [Job(name, case) for name in available() for case in load(name).cases[:CASES_PER_SUITE]]
    with openai_stub() as (base, stub):
        settings = Settings(
            var_dir=tmp_path,
            provider="openai:stub-mischief",
            openai_base_url=base,
            rate_limit_ip_per_minute=1_000_000,
            rate_limit_user_per_minute=100_000,
            chat_turns_per_minute=100_000,
            log_level="WARNING",
        )
        tee = SseTee(create_app(settings))
        with serve(tee) as api:
            results = run_jobs(
                api, jobs, RunOptions(run_id="loopback", concurrency=3), tmp_path / "r.jsonl"
            )

    assert len(results) == len(jobs) and not any(r.transcript.error for r in results)
    assert stub.errors == []  # every turn was the stub's, not the offline fallback's
    assert stub.spoiled and any(INVENTED in s for s in stub.spoiled)  # the model misbehaved
    assert any(UNSAFE_WORDING in s for s in stub.spoiled)
    assert stub.corrections > 0  # and was asked to correct itself
    events = [e for x in tee.exchanges for e in x.events()]
    assert any(name == "replace" for name, _ in events)
    assert sum(name == "token" for name, _ in events) > len(tee.exchanges)  # it streamed
    assert ungrounded_on_screen(tee.exchanges) == []
    raw = b"".join(bytes(x.body) for x in tee.exchanges).decode()
    assert INVENTED not in raw and "1.9% a year" not in raw and "0.5% APR" not in raw
    assert "guaranteed approval" not in raw and "mention your other debts" not in raw
    assert "at your age" not in raw.lower()
