"""The scoring server's HTTP surface, following SageMaker's bring-your-own-container contract.

Routes: `GET /ping` (200 when a model is loaded, 503 with the reason otherwise), `POST
/invocations`, `GET /execution-parameters` (batch transform), and `POST
/endpoints/{name}/invocations`: the path boto3's `sagemaker-runtime` `invoke_endpoint` calls, so
a client pointed at this server with `endpoint_url` works as against AWS. On that path errors are
wrapped as the SageMaker runtime does (HTTP 424 `ModelError` carrying the container's status and
body), so client code handles local and AWS the same way.

Plain Starlette with async handlers keeps the per-request overhead well under a millisecond;
small batches are scored on the event loop, larger ones in a worker thread so `/ping` answers
while they run. Every request is logged with its id (taken from `X-Request-Id` or
`X-Amzn-SageMaker-Inference-Id`, else generated) and echoes it back.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from core.errors import LoanAdvisorError
from core.ids import new_id
from core.logging import request_id_var
from scoring.server.codecs import (
    custom_attributes,
    encode_response,
    explain_attribute,
    parse_request,
    response_type,
)
from scoring.server.loading import ModelState
from scoring.server.validation import BadRequest, RowError

DEFAULT_MAX_ROWS = 10_000
DEFAULT_MAX_BODY_BYTES = 6 * 1024 * 1024  # SageMaker real-time endpoints cap payloads at 6 MB
INLINE_ROWS = 64  # batches up to this size are scored on the event loop (sub-millisecond)
PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("scoring.server")


class ScoringService:
    """Request handling over one loaded model; `create_app` wires it into Starlette routes."""

    def __init__(self, state: ModelState, *, max_rows: int, max_body_bytes: int) -> None:
        self.state = state
        self.max_rows = max_rows
        self.max_body_bytes = max_body_bytes

    async def ping(self, request: Request) -> Response:
        """Health check: SageMaker routes traffic only after this answers 200."""
        s = self.state
        if s.model is not None and s.schema is not None:
            ok = {"status": "ok", "model_version": s.model.model_id, "features": s.schema.features}
            return _json(ok, 200)
        return _json({"status": "unavailable", "reason": s.reason, "source": str(s.source)}, 503)

    async def execution_parameters(self, request: Request) -> Response:
        """Tell SageMaker batch transform how to batch records for this container."""
        mb = max(1, self.max_body_bytes // (1024 * 1024))
        return _json(
            {"MaxConcurrentTransforms": 1, "BatchStrategy": "MULTI_RECORD", "MaxPayloadInMB": mb},
            200,
        )

    async def invocations(self, request: Request) -> Response:
        """Score the applicants in the body (see `scoring.server.codecs` for the formats)."""
        return await self._invoke(request, endpoint=None)

    async def endpoint_invocations(self, request: Request) -> Response:
        """Answer the SageMaker runtime path `/endpoints/<name>/invocations` (boto3)."""
        return await self._invoke(request, endpoint=request.path_params["name"])

    async def _invoke(self, request: Request, endpoint: str | None) -> Response:
        h = request.headers
        rid = h.get("x-request-id") or h.get("x-amzn-sagemaker-inference-id") or new_id("req")
        token = request_id_var.set(rid)
        start = time.perf_counter()
        call = _Call()
        try:
            try:
                body, kind = await self._score(request, call)
                response = Response(body, 200, media_type=kind)
            except BadRequest as exc:
                response = _problem(exc.status, exc.title, exc.detail, exc.errors)
            except LoanAdvisorError as exc:  # the model's own input checks
                err = RowError(None, exc.field or "body", exc.message)
                response = _problem(400, "Invalid input", exc.message, [err])
            except Exception:  # keep serving; the traceback goes to the log
                log.exception("scoring failed")
                response = _problem(500, "Internal error", "scoring failed; see server logs", [])
            ms = (time.perf_counter() - start) * 1000
            level = logging.INFO if response.status_code < 500 else logging.ERROR
            log.log(
                level,
                "invocation",
                extra={
                    "status": response.status_code,
                    "rows": call.rows,
                    "explain": call.explain,
                    "ms": round(ms, 3),
                    "endpoint": endpoint,
                },
            )
        finally:
            request_id_var.reset(token)
        if endpoint is not None and response.status_code >= 400:
            response = _model_error(response)
        if endpoint is not None:
            response.headers["x-Amzn-Invoked-Production-Variant"] = "AllTraffic"
        response.headers["x-request-id"] = rid
        response.headers["x-amzn-RequestId"] = rid
        return response

    async def _score(self, request: Request, call: _Call) -> tuple[bytes, str]:
        state = self.state
        if state.model is None or state.schema is None:
            raise BadRequest(
                f"no model loaded: {state.reason}",
                [RowError(None, "model", state.reason or "not loaded")],
                status=503,
                title="Model not loaded",
            )
        model, schema = state.model, state.schema
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body_bytes:
            raise _too_large(int(declared), self.max_body_bytes)
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():  # capped while reading: chunked bodies too
            size += len(chunk)
            if size > self.max_body_bytes:
                raise _too_large(size, self.max_body_bytes)
            chunks.append(chunk)
        body = b"".join(chunks)
        kind = response_type(request.headers.get("accept"))
        inv = parse_request(body, request.headers.get("content-type"), schema.features)
        n = call.rows = len(inv.rows)
        if n == 0:
            raise BadRequest("the request has no rows", [RowError(None, "instances", "empty")])
        if n > self.max_rows:
            raise BadRequest(
                f"batch of {n} rows is over the limit of {self.max_rows} rows per request",
                [RowError(None, "instances", f"{n} rows > {self.max_rows}")],
            )
        explain = inv.explain
        if explain is None:
            attrs = custom_attributes(request.headers.get("x-amzn-sagemaker-custom-attributes"))
            explain = explain_attribute(attrs)
        flag = call.explain = bool(explain)

        def score() -> bytes:
            clean = schema.validate(inv.rows)
            return encode_response(model.score(clean, explain=flag), kind, schema.features)

        out = score() if n <= INLINE_ROWS else await run_in_threadpool(score)
        return out, kind


@dataclass
class _Call:
    """What one invocation asked for, filled in as the request is read (for its log line)."""

    rows: int = 0
    explain: bool = False


def _too_large(size: int, limit: int) -> BadRequest:
    return BadRequest(
        f"request body of {size} bytes is over the limit of {limit} bytes",
        [RowError(None, "body", "too large")],
        status=413,
        title="Payload too large",
    )


def _json(body: dict[str, Any], status: int) -> Response:
    return Response(json.dumps(body), status, media_type="application/json")


def _problem(status: int, title: str, detail: str, errors: list[RowError]) -> Response:
    """RFC 9457 problem details with `errors: [{row, field, message}]`."""
    body = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "errors": [e.as_dict() for e in errors],
    }
    return Response(json.dumps(body), status, media_type=PROBLEM_JSON)


def _model_error(container: Response) -> Response:
    """Wrap a container error the way the SageMaker runtime does (424 ModelError)."""
    status = container.status_code
    original = bytes(container.body).decode()
    side = "client" if status < 500 else "server"
    body = {
        "ErrorCode": f"{side.upper()}_ERROR_FROM_MODEL",
        "Message": f'Received {side} error ({status}) from primary with message "{original}".',
        "OriginalStatusCode": status,
        "OriginalMessage": original,
        "LogStreamArn": "local",
    }
    return Response(
        json.dumps(body),
        424,
        media_type="application/json",
        headers={"x-amzn-ErrorType": "ModelError"},
    )


def create_app(
    state: ModelState,
    *,
    max_rows: int = DEFAULT_MAX_ROWS,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
) -> Starlette:
    """Return the ASGI app serving `state` (load it with `scoring.server.loading.load_state`)."""
    svc = ScoringService(state, max_rows=max_rows, max_body_bytes=max_body_bytes)
    app = Starlette(
        routes=[
            Route("/ping", svc.ping, methods=["GET"]),
            Route("/execution-parameters", svc.execution_parameters, methods=["GET"]),
            Route("/invocations", svc.invocations, methods=["POST"]),
            Route("/endpoints/{name}/invocations", svc.endpoint_invocations, methods=["POST"]),
        ]
    )
    app.state.scoring = svc  # the champion watcher swaps `svc.state` (scoring.server.reload)
    return app
