"""Cross-cutting HTTP behaviour: request ids, rate and size limits, metrics, logs, headers.

Access logs carry the route template, never the raw path or query (ids and PII); CORS
allows the UI origin only; security headers go on every response.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware

from api.body_limit import BodyLimitMiddleware
from api.metrics import HttpMetrics
from api.problems import problem
from api.ratelimit import RateLimiter
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
# The interactive docs load their scripts from a CDN, so they get a looser policy.
DOCS_PATHS = ("/docs", "/redoc")


def _route_template(request: Request) -> str:
    """Return the matched route's template (`/v1/applications/{application_id}`), or 'unmatched'.

    The router records the matched route in the (shared) scope once it has routed.
    """
    return str(getattr(request.scope.get("route"), "path", "unmatched"))


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def install_middleware(app: FastAPI, settings: Settings, metrics: HttpMetrics) -> None:
    """Add the middleware stack in the order requests should meet it."""
    ip_limiter = RateLimiter(settings.rate_limit_ip_per_minute)
    upload_limit = settings.max_upload_bytes + 16 * 1024  # multipart framing
    # Innermost of the three: chunked bodies are counted after the checks below.
    app.add_middleware(
        BodyLimitMiddleware,
        limit_for=lambda path: upload_limit if path == UPLOAD_PATH else MAX_BODY_BYTES,
    )

    @app.middleware("http")
    async def request_context(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        request_id = request.headers.get("X-Request-ID") or uuid.uuid4().hex
        request_id = "".join(c for c in request_id[:64] if c.isalnum() or c in "-_") or "-"
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            limit = upload_limit if request.url.path == UPLOAD_PATH else MAX_BODY_BYTES
            length = request.headers.get("content-length")
            retry_after = 0
            if request.url.path not in ("/healthz", "/readyz", "/metrics"):
                retry_after = ip_limiter.hit(f"ip:{_client_ip(request)}")
            if retry_after:
                metrics.rate_limited.labels("ip").inc()
                response: Response = problem(429, "Too many requests", "slow down and retry later")
                response.headers["Retry-After"] = str(retry_after)
            elif length and (not length.isdigit() or int(length) > limit):
                response = problem(
                    413, "Payload too large", f"request bodies are limited to {limit} bytes"
                )
            else:
                response = await call_next(request)
            response.headers["X-Request-ID"] = request_id
            for name, value in SECURITY_HEADERS.items():
                if name == "Content-Security-Policy" and request.url.path.startswith(DOCS_PATHS):
                    continue
                response.headers.setdefault(name, value)
            elapsed = time.perf_counter() - started
            route = _route_template(request)
            metrics.observe(request.method, route, response.status_code, elapsed)
            # Log the route template, not the raw path or query: those can carry ids and PII.
            access_log.info(
                "request",
                extra={
                    "method": request.method,
                    "route": route,
                    "status": response.status_code,
                    "ms": round(elapsed * 1000, 1),
                },
            )
            return response
        finally:
            request_id_var.reset(token)

    # Added last so it runs first: pre-flight requests are answered before the limits.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "X-Request-ID"],
        expose_headers=["X-Request-ID", "Retry-After"],
    )
