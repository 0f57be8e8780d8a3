"""Cross-cutting HTTP behaviour: request ids, access logs, size limits, CORS, security headers."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware

from api.problems import problem
from core.config import Settings
from core.logging import request_id_var

MAX_BODY_BYTES = 64 * 1024
access_log = logging.getLogger("api.access")

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'",
}


def install_middleware(app: FastAPI, settings: Settings) -> None:
    """Add the middleware stack in the order requests should meet it."""
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        allow_headers=["Authorization", "Content-Type", "Idempotency-Key"],
    )

    @app.middleware("http")
    async def request_context(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        request_id = request.headers.get("X-Request-ID") or uuid.uuid4().hex
        token = request_id_var.set(request_id[:64])
        started = time.perf_counter()
        try:
            length = request.headers.get("content-length")
            if length and length.isdigit() and int(length) > MAX_BODY_BYTES:
                response: Response = problem(
                    413,
                    "Payload too large",
                    f"request bodies are limited to {MAX_BODY_BYTES} bytes",
                )
            else:
                response = await call_next(request)
            response.headers["X-Request-ID"] = request_id[:64]
            for name, value in SECURITY_HEADERS.items():
                response.headers.setdefault(name, value)
            access_log.info(
                "request",
                extra={
                    "method": request.method,
                    "path": request.url.path,
                    "status": response.status_code,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id_var.reset(token)
