"""Cross-cutting HTTP behaviour: request ids, rate and size limits, metrics, logs, headers.

Access logs carry the route template, never the raw path or query (ids and PII); CORS
allows the UI origin only; security headers go on every response. The client address the
limits key on is the TCP peer, unless that peer is a configured trusted proxy: a forged
X-Forwarded-For from anyone else changes nothing.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.routing import Match, Mount, Router
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from api import balance
from api.balance import Rebalancer
from api.body_limit import BodyLimitMiddleware
from api.metrics import HttpMetrics
from api.problems import problem
from api.ratelimit import LoginThrottle, RateLimiter
from api.shedding import LoadShedder
from core.config import Settings
from core.logging import request_id_var

MAX_BODY_BYTES = 64 * 1024
UPLOAD_PATH = "/v1/documents"
access_log = logging.getLogger("api.access")

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
# The interactive docs (served from our own origin) draw Swagger UI's icons as data: URIs.
DOCS_PATHS = ("/docs",)
DOCS_CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:"


class RequestContextMiddleware:
    """Request id, IP rate limit, Content-Length check, security headers, metrics, access log.

    A plain ASGI wrapper rather than `@app.middleware("http")`: Starlette's BaseHTTPMiddleware
    pipes every response chunk through an extra task and memory stream, which on a streamed
    chat turn (one SSE event per token) cost more CPU than the advisor's own reasoning.
    Latency is measured to the last byte sent, so a streamed reply counts in full.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        ip_limiter: RateLimiter,
        metrics: HttpMetrics,
        limit_for: Callable[[str], int],
    ) -> None:
        self.app = app
        self.ip_limiter = ip_limiter
        self.metrics = metrics
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the limits, then run the app with headers added and the request timed."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        request_id = headers.get("x-request-id") or uuid.uuid4().hex
        request_id = "".join(c for c in request_id[:64] if c.isalnum() or c in "-_") or "-"
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        path: str = scope["path"]
        status = 500
        extra_headers = [(b"x-request-id", request_id.encode())]
        for name, value in SECURITY_HEADERS.items():
            if name == "Content-Security-Policy" and path.startswith(DOCS_PATHS):
                value = DOCS_CSP
            extra_headers.append((name.lower().encode(), value.encode()))

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                raw = list(message.get("headers", []))
                present = {name.lower() for name, _ in raw}
                raw.extend(h for h in extra_headers if h[0] not in present)
                message = {**message, "headers": raw}
            await send(message)

        try:
            refusal = self._refusal(scope, headers, path)
            if refusal is not None:
                await refusal(scope, receive, send_with_headers)
            else:
                await self.app(scope, receive, send_with_headers)
        finally:
            elapsed = time.perf_counter() - started
            route = str(getattr(scope.get("route"), "path", "unmatched"))
            self.metrics.observe(scope["method"], route, status, elapsed)
            # Log the route template, not the raw path or query: those can carry ids and PII.
            access_log.info(
                "request",
                extra={
                    "method": scope["method"],
                    "route": route,
                    "status": status,
                    "ms": round(elapsed * 1000, 1),
                },
            )
            request_id_var.reset(token)

    def _refusal(self, scope: Scope, headers: Headers, path: str) -> Response | None:
        """Return a 429 or 413 problem when the request must not reach the app, else None."""
        if path not in ("/healthz", "/readyz", "/metrics"):
            client = scope.get("client")
            retry_after = self.ip_limiter.hit(f"ip:{client[0] if client else 'unknown'}")
            if retry_after:
                self.metrics.rate_limited.labels("ip").inc()
                response = problem(429, "Too many requests", "slow down and retry later")
                response.headers["Retry-After"] = str(retry_after)
                return response
        limit = self.limit_for(path)
        length = headers.get("content-length")
        if length and (not length.isdigit() or int(length) > limit):
            return problem(413, "Payload too large", f"request bodies are limited to {limit} bytes")
        return None


PROBED_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


class OptionsResponder:
    """Answer a plain OPTIONS (not a CORS pre-flight) with 204 and the path's real methods.

    Without this, OPTIONS on a POST-only route reaches the UI's catch-all static mount, whose
    405 advertises GET and HEAD: methods the route does not have.
    """

    def __init__(self, app: ASGIApp, *, router: Router) -> None:
        self.app = app
        self.router = router

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Reply to OPTIONS on an API route; pass everything else on."""
        if scope["type"] != "http" or scope["method"] != "OPTIONS":
            await self.app(scope, receive, send)
            return
        # Ask the routes (FastAPI nests included routers) which methods fully match; mounts
        # (the UI's catch-all, the docs' assets) are not API routes.
        methods = {
            method
            for method in PROBED_METHODS
            if any(
                not isinstance(route, Mount)
                and route.matches({**scope, "method": method})[0] == Match.FULL
                for route in self.router.routes
            )
        }
        if not methods:
            await self.app(scope, receive, send)
            return
        allow = ", ".join(sorted(methods | {"OPTIONS"}))
        await Response(status_code=204, headers={"Allow": allow})(scope, receive, send)


def install_middleware(app: FastAPI, settings: Settings, metrics: HttpMetrics) -> None:
    """Add the middleware stack in the order requests should meet it.

    Also installs the login throttles and the per-user chat-turn limit on `app.state`, where
    the auth and chat routes find them (one set per process, like the IP limit).
    """
    app.state.login_throttle_accounts = LoginThrottle(
        settings.login_failures_before_lockout,
        settings.login_lockout_base_seconds,
        settings.login_lockout_max_seconds,
    )
    app.state.login_throttle_addresses = LoginThrottle(
        settings.login_ip_failures_before_lockout,
        settings.login_lockout_base_seconds,
        settings.login_lockout_max_seconds,
    )
    app.state.chat_turn_limiter = RateLimiter(settings.chat_turns_per_minute)
    app.state.max_upload_bytes = settings.max_upload_bytes  # documented in the schema
    ip_limiter = RateLimiter(settings.rate_limit_ip_per_minute)
    upload_limit = settings.max_upload_bytes + 16 * 1024  # multipart framing

    def limit_for(path: str) -> int:
        return upload_limit if path == UPLOAD_PATH else MAX_BODY_BYTES

    # Innermost first: chunked bodies are counted after the checks; OPTIONS never has a body.
    app.add_middleware(BodyLimitMiddleware, limit_for=limit_for)
    app.add_middleware(OptionsResponder, router=app.router)
    app.add_middleware(LoadShedder, max_in_flight=settings.max_in_flight_requests)
    app.add_middleware(
        RequestContextMiddleware, ip_limiter=ip_limiter, metrics=metrics, limit_for=limit_for
    )

    # Added after the limits so it runs before them: pre-flight requests are answered first.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "X-Request-ID"],
        expose_headers=["X-Request-ID", "Retry-After"],
    )
    loads = balance.group()
    if loads is not None:  # outermost: every request counts towards this worker's load
        app.add_middleware(Rebalancer, loads=loads)
    if settings.trusted_proxies:
        # Outermost: the real client address is settled before anything keys on it. uvicorn's
        # own proxy handling is switched off in `api.main.run`, so this list is the only trust.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=list(settings.trusted_proxies))
