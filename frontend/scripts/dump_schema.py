"""Dump what the web app is generated from: OpenAPI schema, lending bounds, message catalogue.

Run by `npm run gen:api` at build time (never at run time), so the typed client and the
form validation follow the API as it evolves. Prints one JSON object on stdout.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import yaml

from api.main import create_app


def _lending_schemas() -> dict[str, Any]:
    """Return the applicant and loan JSON schemas from lending when that module exists."""
    try:
        from lending import schemas
    except ImportError:
        return {}
    out: dict[str, Any] = {}
    for name in ("ApplicantProfile", "LoanRequest"):
        model = getattr(schemas, name, None)
        if model is not None:
            out[name] = model.model_json_schema()
    return out


def _products() -> dict[str, Any]:
    """Return the product policy limits (amount, tenure, rate band) from the policy YAML."""
    from lending.quote import POLICY_PATH

    with POLICY_PATH.open(encoding="utf-8") as fh:
        policy: dict[str, Any] = yaml.safe_load(fh)
    return {"version": policy.get("version"), "products": policy["products"]}


def _messages() -> dict[str, Any]:
    """Return the customer-facing message catalogue, so the web app says what the API says."""
    from lending.messages import catalogue

    return catalogue().model_dump(mode="json")


if __name__ == "__main__":
    sys.stdout.write(
        json.dumps(
            {
                "openapi": create_app().openapi(),
                "lending": _lending_schemas(),
                "policy": _products(),
                "messages": _messages(),
            },
            default=str,
        )
    )
