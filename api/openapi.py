"""The OpenAPI document and its interactive docs page.

Every operation documents the errors it can answer with, declared as
application/problem+json, so generated clients (the React app) and fuzzers (schemathesis)
see the real contract. /docs serves Swagger UI from the pinned `swagger-ui-py` package's
files on our own origin (no CDN), so the page keeps a strict Content-Security-Policy.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles
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
    "400": "the request body is not well-formed (e.g. malformed JSON)",
    "401": "missing, invalid or expired access token",
    "403": "the caller lacks the needed role",
    "404": "no such resource, or not the caller's",
    "409": "the resource's state does not allow this",
    "413": "request body too large",
    "422": "invalid input; `errors` names each field",
    "429": "rate limit reached; see Retry-After",
    "500": "unexpected error (no internals are revealed)",
    "503": "overloaded (see Retry-After), or a dependency (credit model, index) is unavailable",
}
PUBLIC_OPERATIONS = {"healthz", "readyz", "getJwks", "signUp", "logIn"}
DOCS_ROUTES = ("/docs", "/docs/oauth2-redirect", "/redoc")
STATIC_DIR = Path(__file__).parent / "static"
DOCS_HTML = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Loan Advisor API - docs</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
"""


def _documented(op: dict[str, Any], code: str) -> bool:
    """Say whether `op` can answer `code` (public routes never 401/403; no body, no 400)."""
    if op.get("operationId") in PUBLIC_OPERATIONS and code in ("401", "403"):
        return op["operationId"] == "logIn" and code == "401"
    if code == "400":
        return "requestBody" in op
    return True


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
        _describe_decimal_strings(components)
        _set_upload_limit(components, getattr(app.state, "max_upload_bytes", None))
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)
        ref = {"$ref": "#/components/schemas/Problem"}
        for operations in schema.get("paths", {}).values():
            for op in operations.values():
                _drop_null_parameters(op)
                responses = op.setdefault("responses", {})
                for code, description in _ERRORS.items():
                    if not _documented(op, code):
                        continue
                    entry = responses.setdefault(code, {"description": description})
                    if code == "422" or "content" not in entry:  # 422: replace FastAPI's own
                        entry["description"] = description
                        entry["content"] = {"application/problem+json": {"schema": ref}}
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
    _install_docs(app)


def _drop_null_parameters(op: dict[str, Any]) -> None:
    """Document an optional header or query parameter as its type, not `type | null`.

    A parameter cannot be null on the wire: it is present with a value or absent. FastAPI's
    `str | None` gives `anyOf: [string, null]`, which clients render as the text "null" (a
    value our own rules then reject).
    """
    for parameter in op.get("parameters", []):
        branches = parameter.get("schema", {}).get("anyOf")
        if not isinstance(branches, list):
            continue
        kept = [b for b in branches if b != {"type": "null"}]
        if len(kept) == 1 and len(kept) < len(branches):
            rest = {k: v for k, v in parameter["schema"].items() if k != "anyOf"}
            parameter["schema"] = {**kept[0], **rest}


def _describe_decimal_strings(node: Any) -> None:
    """Give money fields' string form a pattern inside their numeric bounds.

    Pydantic documents a `Decimal` as `number | string` with no rule for the string, so the
    schema promised that "" or "abc" are valid amounts. The pattern admits plain decimals
    (at most two places) strictly inside the number branch's bounds, all of which the API
    accepts.
    """
    if isinstance(node, list):
        for item in node:
            _describe_decimal_strings(item)
        return
    if not isinstance(node, dict):
        return
    branches = node.get("anyOf")
    if isinstance(branches, list):
        number = next((b for b in branches if b.get("type") == "number"), None)
        for branch in branches:
            if number is not None and branch == {"type": "string"}:
                branch["pattern"] = _decimal_pattern(number)
    for value in node.values():
        _describe_decimal_strings(value)


def _decimal_pattern(number: dict[str, Any]) -> str:
    """Return a regex for decimal strings within `number`'s bounds (lower bound 0 or none)."""
    maximum = number.get("maximum")
    digits = len(str(int(maximum))) - 1 if maximum else 12  # 10_000_000 -> up to 7 digits
    cents = r"(\.\d{1,2})?"
    if number.get("exclusiveMinimum") == 0:
        return rf"^([1-9]\d{{0,{digits - 1}}}{cents}|0\.(0[1-9]|[1-9]\d?))$"
    sign = "" if "minimum" in number else "-?"  # unbounded below: balances may be negative
    return rf"^{sign}(0|[1-9]\d{{0,{digits - 1}}}){cents}$"


def _set_upload_limit(components: dict[str, Any], limit: int | None) -> None:
    """State the configured upload limit as the maximum of `UploadRequest.size_bytes`."""
    field = components.get("UploadRequest", {}).get("properties", {}).get("size_bytes")
    if field is not None and limit is not None:
        field["maximum"] = limit


def swagger_ui_dir() -> Path:
    """Return the folder of Swagger UI's built files inside the `swagger-ui-py` package.

    Located without importing the package (its import pulls in template engines we do not
    use); the files are what we serve.
    """
    spec = importlib.util.find_spec("swagger_ui")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("swagger-ui-py is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "static"


def _install_docs(app: FastAPI) -> None:
    """Replace FastAPI's CDN-backed /docs and /redoc with a page served from our origin."""
    app.router.routes[:] = [
        r for r in app.router.routes if getattr(r, "path", None) not in DOCS_ROUTES
    ]

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(DOCS_HTML)

    @app.get("/docs/init.js", include_in_schema=False)
    def docs_init() -> FileResponse:
        return FileResponse(STATIC_DIR / "docs-init.js", media_type="text/javascript")

    app.mount("/docs/assets", StaticFiles(directory=swagger_ui_dir()), name="docs-assets")
