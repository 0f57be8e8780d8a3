"""Load shedding: past a cap on in-flight requests, answer 503 at once instead of queueing.

Without a cap, 200 concurrent users pushed p99 latency to many seconds while every request
still waited its turn; a quick 503 with Retry-After lets clients (and a load balancer) back
off while the requests already admitted finish on time. Health, readiness and metrics stay
outside the cap so an overloaded instance is not also declared dead.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Receive, Scope, Send

EXEMPT_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
RETRY_AFTER_SECONDS = 1


class LoadShedder:
    """Admit at most `max_in_flight` HTTP requests at once (0 disables the cap).

    A streamed reply (SSE chat) counts until its last byte is sent. One process holds its
    own count; the event loop is single-threaded, so a plain integer is enough.
    """

    def __init__(self, app: ASGIApp, *, max_in_flight: int, on_shed: object = None) -> None:
        self.app = app
        self.max_in_flight = max_in_flight
        self.in_flight = 0
        self.shed = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the request if there is room, else answer 503 with Retry-After."""
        if scope["type"] != "http" or self.max_in_flight <= 0 or scope["path"] in EXEMPT_PATHS:
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.max_in_flight:
            self.shed += 1
            await _overloaded(send)
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1


async def _overloaded(send: Send) -> None:
    body = json.dumps(
        {
            "type": "about:blank",
            "title": "Service overloaded",
            "status": 503,
            "detail": "the service is busy; retry after the time in Retry-After",
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 503,
            "headers": [
                (b"content-type", b"application/problem+json"),
                (b"content-length", str(len(body)).encode()),
                (b"retry-after", str(RETRY_AFTER_SECONDS).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
