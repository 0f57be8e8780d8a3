"""The OpenAPI document promises only what the API accepts (schemathesis checks it in full)."""

from __future__ import annotations

import re


def test_problem_responses_the_api_can_give_are_listed(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert "400" in paths["/v1/auth/login"]["post"]["responses"]  # malformed JSON
    assert "400" not in paths["/v1/threads"]["get"]["responses"]  # no body, no 400
    assert "503" in paths["/v1/threads"]["get"]["responses"]  # load shedding


def test_decimal_strings_have_a_pattern_inside_the_bounds(client):
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    amount = schemas["LoanRequest"]["properties"]["amount"]["anyOf"]
    pattern = next(b["pattern"] for b in amount if b.get("type") == "string")
    accepted = ["20000", "0.5", "9999999.99"]
    refused = ["", "abc", "0", "10000000", "-5", "1e3"]
    assert all(re.match(pattern, v) for v in accepted)
    assert not any(re.match(pattern, v) for v in refused)


def test_optional_parameters_are_never_null(client):
    paths = client.get("/openapi.json").json()["paths"]
    for operations in paths.values():
        for op in operations.values():
            for parameter in op.get("parameters", []):
                assert {"type": "null"} not in parameter["schema"].get("anyOf", []), parameter


def test_the_upload_limit_and_the_adjust_rule_are_in_the_schema(client, settings):
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    size = schemas["UploadRequest"]["properties"]["size_bytes"]
    assert size["maximum"] == settings.max_upload_bytes
    assert {tuple(b["required"]) for b in schemas["OfferAdjust"]["anyOf"]} == {
        ("amount",),
        ("tenure_months",),
    }
