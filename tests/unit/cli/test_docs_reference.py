"""The generated references: what they show and what they refuse to leave undocumented."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings

from cli.docs_reference import annotation_text, render_api, render_config, schema_type

PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}


def _openapi(op: dict) -> dict:
    return {
        "info": {"title": "T", "version": "1"},
        "tags": [{"name": "loans", "description": "Loan things."}],
        "paths": {"/v1/loans/{loan_id}": {"get": op}},
        "components": {
            "schemas": {
                "Loan": {
                    "description": "A loan.",
                    "properties": {"amount": {"type": "number", "description": "principal"}},
                    "required": ["amount"],
                },
                "Problem": {"properties": {"title": {"type": "string"}}},
            }
        },
    }


GOOD_OP = {
    "operationId": "readLoan",
    "summary": "Read Loan",
    "description": "Read one loan.",
    "tags": ["loans"],
    "security": [{"HTTPBearer": []}],
    "parameters": [
        {"name": "loan_id", "in": "path", "required": True, "schema": {"type": "string"}}
    ],
    "responses": {
        "200": {
            "description": "ok",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Loan"}}},
        },
        "404": {"description": "no such loan", "content": PROBLEM},
    },
}


def test_an_operation_is_rendered_with_auth_parameters_and_errors() -> None:
    page = render_api(_openapi(GOOD_OP))
    assert page.warnings == []
    text = page.markdown
    assert "### `GET /v1/loans/{loan_id}` — Read Loan" in text
    assert "auth: bearer token" in text
    assert "| `loan_id` | path | string | yes |" in text
    assert "| 200 | ok | Loan (application/json) |" in text
    assert "[Errors](#errors): 404." in text
    assert "| 404 | no such loan |" in text
    assert "| `amount` | number | yes | principal |" in text


def test_public_operations_say_so() -> None:
    assert "auth: public" in render_api(_openapi(GOOD_OP), ["readLoan"]).markdown


def test_an_undocumented_operation_and_a_dangling_reference_are_warnings() -> None:
    op = {**GOOD_OP, "description": "", "tags": []}
    op["responses"] = {
        "200": {"content": {"application/json": {"schema": {"$ref": "#/x/Missing"}}}}
    }
    warnings = render_api(_openapi(op)).warnings
    assert "GET /v1/loans/{loan_id}: no description (the route's docstring)" in warnings
    assert "GET /v1/loans/{loan_id}: no tag" in warnings
    assert "dangling schema reference #/x/Missing" in warnings


def test_schema_types_read_like_python() -> None:
    assert schema_type({"type": "array", "items": {"type": "string"}}) == "list[string]"
    assert schema_type({"anyOf": [{"type": "integer"}, {"type": "null"}]}) == "integer \\| null"
    assert schema_type({"enum": ["a", "b"]}) == "`a` \\| `b`"
    assert schema_type({"type": "string", "format": "date"}) == "string (date)"


class _Settings(BaseSettings):
    mode: Literal["local", "aws"] = Field("local", description="where it runs")
    port: int = Field(8000, description="listen port")
    origins: list[str] = Field(default_factory=lambda: ["x"], description="CORS origins")
    secret: str | None = None


def test_config_reference_lists_every_variable_default_and_meaning() -> None:
    page = render_config(_Settings.model_fields, "APP_", {"mode": "Process", "secret": "Auth"})
    assert "| `APP_MODE` | `local` \\| `aws` | `local` | where it runs |" in page.markdown
    assert '| `APP_ORIGINS` | list[str] | ["x"] | CORS origins |' in page.markdown
    assert "## Auth" in page.markdown
    assert "| `APP_SECRET` | str \\| None | (unset) |  |" in page.markdown
    assert page.warnings == ["setting secret: no description"]


def test_annotation_text_of_plain_types() -> None:
    assert annotation_text(int) == "int"
    assert annotation_text(Literal["a"]) == "`a`"


def test_products_page_has_one_row_per_policy_product() -> None:
    from cli.docs_reference import render_products
    from lending.policy import load_policy

    policy = load_policy()
    text = render_products(policy).markdown
    for key, product in policy.products.items():
        row = next(line for line in text.splitlines() if f"(`{key}`)" in line)
        assert f"{product.tenure_months.min} – {product.tenure_months.max}" in row
        assert str(product.annual_rate_pct.max) in row
    assert f"within {policy.acceptance.cooling_off_days} days" in text
