"""The two servers bench_serving drives, as its load client sees them.

Each answers the same three questions: who is this session's user, start a thread, and run
one turn to the end of its stream (returning '' or an error kind).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Protocol

import httpx


class Target(Protocol):
    """One server under test, as the load client sees it."""

    name: str
    base: str
    pid: int

    async def sign_in(self, http: httpx.AsyncClient, n: int) -> str:
        """Make session `n`'s user; return its id."""
        ...

    async def new_thread(self, http: httpx.AsyncClient) -> str:
        """Start a conversation; return its id."""
        ...

    async def turn(self, http: httpx.AsyncClient, user: str, thread: str, message: str) -> str:
        """Send one message and read the reply's stream to its end; '' or an error kind."""
        ...


@dataclass
class OurApi:
    """A: POST /v1/chat/{thread} (SSE) ends with `event: done`."""

    base: str
    pid: int
    name: str = "ours"

    async def sign_in(self, http: httpx.AsyncClient, n: int) -> str:
        email = f"serve{n}-{uuid.uuid4().hex[:8]}@example.com"
        creds = {"email": email, "password": "bench-pass-1"}
        (await http.post("/v1/auth/signup", json=creds)).raise_for_status()
        login = (await http.post("/v1/auth/login", json=creds)).raise_for_status()
        http.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
        return creds["email"]

    async def new_thread(self, http: httpx.AsyncClient) -> str:
        return str((await http.post("/v1/threads", json={})).raise_for_status().json()["thread_id"])

    async def turn(self, http: httpx.AsyncClient, user: str, thread: str, message: str) -> str:
        del user  # the bearer token names the user
        async with http.stream("POST", f"/v1/chat/{thread}", json={"message": message}) as r:
            if r.status_code != 200:
                return f"http {r.status_code}"
            async for line in r.aiter_lines():
                if line.startswith("event: error"):
                    return "event error"
                if line.startswith("event: done"):
                    return ""
        return "no done"


@dataclass
class ReferenceServer:
    """B: POST /threads/{thread}/runs/stream with the run context; the reply ends the stream.

    Its in-memory scheduler polls for queued runs every 0.5 s while idle, which is most of
    a lone session's latency; under load the next run is usually already queued.
    """

    base: str
    pid: int
    name: str = "langgraph"

    async def sign_in(self, http: httpx.AsyncClient, n: int) -> str:
        del http  # no accounts: the user is who the run context says
        return f"user-{n}-{uuid.uuid4().hex[:8]}"

    async def new_thread(self, http: httpx.AsyncClient) -> str:
        return str((await http.post("/threads", json={})).raise_for_status().json()["thread_id"])

    async def turn(self, http: httpx.AsyncClient, user: str, thread: str, message: str) -> str:
        body = {
            "assistant_id": "advisor",
            "input": {"messages": [{"type": "human", "content": message}]},
            "context": {"user_id": user, "thread_id": thread},
            "stream_mode": ["messages-tuple", "updates"],
            "durability": "exit",  # as ours: one checkpoint per turn
        }
        async with http.stream("POST", f"/threads/{thread}/runs/stream", json=body) as r:
            if r.status_code != 200:
                return f"http {r.status_code}"
            async for line in r.aiter_lines():
                if line.startswith("event: error"):
                    return "event error"
        return ""
