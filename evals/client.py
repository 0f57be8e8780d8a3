"""The one module that knows the chat API's wire format (auth, threads, SSE events).

Everything else in `evals` sees typed `Turn`s: the reply text, the tool calls with their
outputs, offers, citations and versions, as the product streamed them.
"""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
from pydantic import BaseModel, Field

from agent.experiments import assign_variant


class ToolCall(BaseModel):
    """One tool the advisor ran this turn: its arguments and what it returned."""

    name: str
    args: dict[str, Any] = Field(default_factory=dict)
    status: str = "success"
    result: Any = None


class Turn(BaseModel):
    """One exchange: what the applicant said and everything the advisor streamed back."""

    user: str
    reply: str = ""
    tools: list[ToolCall] = Field(default_factory=list)
    offers: list[dict[str, Any]] = Field(default_factory=list)
    citations: list[dict[str, Any]] = Field(default_factory=list)
    versions: dict[str, Any] = Field(default_factory=dict)
    replaced: bool = False
    error: str | None = None
    tokens: int = 0
    latency_ms: float = 0.0


class ApiError(RuntimeError):
    """The API answered a request with an error status."""


class ChatSession:
    """A signed-up applicant with one conversation thread on the API at `base_url`."""

    def __init__(self, base_url: str, timeout: float = 120.0) -> None:
        """Open a connection pool to `base_url`; call `start` before `send`."""
        self.http = httpx.Client(base_url=base_url, timeout=timeout)
        self.thread_id = ""

    def __enter__(self) -> ChatSession:
        """Return the session (closed on exit)."""
        return self

    def __exit__(self, *_exc: object) -> None:
        """Close the connection pool."""
        self.http.close()

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = self.http.post(path, json=body)
        if response.status_code >= 400:
            raise ApiError(f"POST {path} -> {response.status_code}: {response.text[:200]}")
        data: dict[str, Any] = response.json()
        return data

    def start(self, email: str, password: str, variant: str | None = None) -> str:
        """Sign up, open a thread (in `variant`'s experiment arm if given) and return its id.

        The API assigns the prompt arm from the thread id, so a wanted arm is reached by
        opening threads until one falls in it (half of them do for two equal arms).
        """
        creds = {"email": email, "password": password}
        # Sign-up answers 202 alike for new and known emails (no account enumeration), so a
        # resumed run that meets its own accounts goes on to the same login.
        self._post("/v1/auth/signup", creds)
        token = self._post("/v1/auth/login", creds)
        self.http.headers["Authorization"] = f"Bearer {token['access_token']}"
        for _ in range(64):
            thread = str(self._post("/v1/threads", {"title": "eval"})["thread_id"])
            if variant is None or assign_variant(thread).name == variant:
                self.thread_id = thread
                return thread
        raise ApiError(f"no thread landed in prompt variant {variant!r} after 64 tries")

    def send(self, message: str) -> Turn:
        """Post one applicant message and collect the streamed reply into a `Turn`."""
        turn = Turn(user=message)
        pending: dict[str, list[dict[str, Any]]] = {}
        started = time.perf_counter()
        with self.http.stream(
            "POST", f"/v1/chat/{self.thread_id}", json={"message": message}
        ) as response:
            if response.status_code >= 400:
                response.read()
                turn.error = f"HTTP {response.status_code}: {response.text[:200]}"
                return turn
            name = None
            for line in response.iter_lines():
                if line.startswith("event: "):
                    name = line[7:].strip()
                elif line.startswith("data: ") and name:
                    _apply(turn, pending, name, json.loads(line[6:]))
        turn.latency_ms = round((time.perf_counter() - started) * 1000, 2)
        return turn


def _apply(turn: Turn, pending: dict[str, list[dict[str, Any]]], name: str, data: Any) -> None:
    """Fold one SSE event into the turn (tool_start args are matched to their tool_end)."""
    if name == "token":
        turn.reply += str(data.get("text", ""))
        turn.tokens += 1
    elif name == "tool_start":
        pending.setdefault(str(data["name"]), []).append(dict(data.get("args") or {}))
    elif name == "tool_end":
        queue = pending.get(str(data["name"])) or [{}]
        args = queue.pop(0)
        turn.tools.append(
            ToolCall(
                name=str(data["name"]),
                args=args,
                status=str(data.get("status") or "success"),
                result=data.get("result"),
            )
        )
    elif name == "offers":
        turn.offers.extend(data.get("offers") or [])
    elif name == "citations":
        turn.citations.extend(data.get("passages") or [])
    elif name == "replace":
        turn.reply = str(data.get("text", ""))
        turn.replaced = True
    elif name == "done":
        turn.reply = str(data.get("text") or turn.reply)
        turn.versions = dict(data.get("versions") or {})
    elif name == "error":
        turn.error = str(data.get("detail", "error"))
