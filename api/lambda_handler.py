"""AWS Lambda entry point for the buffered routes (API Gateway REST or HTTP API events).

Mangum translates events to ASGI. The app's lifespan (store, scorer, graph) starts once per
cold start on Mangum's event loop and stays up while the container is reused. The streamed
chat route is served by the same app under the Lambda Web Adapter in response-stream mode
(it runs `loan-advisor serve` unchanged), so it needs no code here.
"""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from typing import Any

from fastapi import FastAPI
from mangum import Mangum


class LambdaHandler:
    """Wrap an app for Lambda; starts its lifespan on the first event."""

    def __init__(self, app: FastAPI) -> None:
        self._app = app
        self._mangum = Mangum(app, lifespan="off")
        self._stack = AsyncExitStack()
        self._started = False

    def __call__(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        """Handle one API Gateway event and return the API Gateway response."""
        if not self._started:
            loop = asyncio.get_event_loop()
            loop.run_until_complete(
                self._stack.enter_async_context(self._app.router.lifespan_context(self._app))
            )
            self._started = True
        return self._mangum(event, context)

    def close(self) -> None:
        """Stop the app's services (tests; Lambda simply freezes the container)."""
        if self._started:
            asyncio.get_event_loop().run_until_complete(self._stack.aclose())
            self._started = False


_handler: LambdaHandler | None = None


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Lambda entry point (`api.lambda_handler.handler`), built from settings on cold start."""
    global _handler
    if _handler is None:
        from api.main import create_app

        _handler = LambdaHandler(create_app())
    return _handler(event, context)
