"""RFC 9457 problem-details responses, so every error has a message a person can act on."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from core.errors import LoanAdvisorError
from lending.messages import field_error

log = logging.getLogger(__name__)
PROBLEM_JSON = "application/problem+json"
_TITLES = {
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    413: "Payload too large",
    415: "Unsupported media type",
    429: "Too many requests",
}


def problem(status: int, title: str, detail: str, **extra: Any) -> JSONResponse:
    """Build a problem-details response."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


def _field_errors(exc: RequestValidationError) -> list[dict[str, str]]:
    errors = []
    for err in exc.errors():
        loc = [str(part) for part in err.get("loc", ()) if part not in ("body", "query", "path")]
        errors.append({"field": ".".join(loc) or "body", "message": field_error(err, exc.body)})
    return errors


def install_problem_handlers(app: FastAPI) -> None:
    """Map our typed errors, validation errors and HTTP errors to problem details; hide 500s."""

    @app.exception_handler(LoanAdvisorError)
    async def _domain(_: Request, exc: LoanAdvisorError) -> JSONResponse:
        extra = {"errors": [{"field": exc.field, "message": exc.message}]} if exc.field else {}
        response = problem(exc.status, exc.title, exc.message, **extra)
        if exc.status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="loan-advisor"'
        return response

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        malformed = [e for e in exc.errors() if e.get("type") == "json_invalid"]
        if malformed:
            # A syntax error is not a field error: 400, as the schema lists for every body.
            position = next((p for p in malformed[0].get("loc", ()) if isinstance(p, int)), None)
            where = f" (near character {position})" if position is not None else ""
            return problem(
                400,
                "Malformed JSON",
                f"the request body is not valid JSON{where}",
                errors=[{"field": "body", "message": "not valid JSON"}],
            )
        errors = _field_errors(exc)
        detail = " ".join(f"{e['message']}." for e in errors)
        return problem(422, "Invalid input", detail, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        response = problem(exc.status_code, _TITLES.get(exc.status_code, "Error"), str(exc.detail))
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return problem(500, "Internal error", "Something went wrong on our side; please retry.")
