"""The OpenAPI document: shared problem-details responses, declared as application/problem+json.

Every operation documents the errors it can answer with, so generated clients (the React
app) and fuzzers (schemathesis) see the real contract.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, Field


class FieldError(BaseModel):
    """One invalid input field."""

    field: str
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem-details body."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = Field(None, description="per-field messages (4xx input)")


_ERRORS = {
    "401": "missing, invalid or expired access token",
    "403": "the caller lacks the needed role",
    "404": "no such resource, or not the caller's",
    "409": "the resource's state does not allow this",
    "413": "request body too large",
    "422": "invalid input; `errors` names each field",
    "429": "rate limit reached; see Retry-After",
    "500": "unexpected error (no internals are revealed)",
    "503": "a dependency (credit model, index) is unavailable",
}
PUBLIC_OPERATIONS = {"healthz", "readyz", "getJwks", "signUp", "logIn"}


def install_openapi(app: FastAPI) -> None:
    """Replace the app's schema builder with one that documents problem responses."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
            tags=app.openapi_tags,
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["Problem"] = Problem.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
        components.update(components["Problem"].pop("$defs", {}))
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)
        ref = {"$ref": "#/components/schemas/Problem"}
        for operations in schema.get("paths", {}).values():
            for op in operations.values():
                responses = op.setdefault("responses", {})
                for code, description in _ERRORS.items():
                    if op.get("operationId") in PUBLIC_OPERATIONS and code in ("401", "403"):
                        if not (op["operationId"] == "logIn" and code == "401"):
                            continue
                    entry = responses.setdefault(code, {"description": description})
                    if code == "422" or "content" not in entry:  # 422: replace FastAPI's own
                        entry["description"] = description
                        entry["content"] = {"application/problem+json": {"schema": ref}}
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
