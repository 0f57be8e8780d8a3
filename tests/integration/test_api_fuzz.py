"""Schemathesis against the app's own OpenAPI on a real server: no 5xx, no schema violations.

At least 1,000 generated requests (valid and invalid inputs) across every operation, sent
with an applicant's token (and unauthenticated for the public routes).
"""

from __future__ import annotations

import time

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.integration.servers import api_server

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
EXAMPLES_PER_OPERATION = 40
MIN_REQUESTS = 1000


@pytest.mark.slow
def test_fuzz_every_operation_without_5xx_or_schema_violations(tmp_path):
    env = {
        "LOAN_ADVISOR_RATE_LIMIT_USER_PER_MINUTE": "1000000",
        "LOAN_ADVISOR_RATE_LIMIT_IP_PER_MINUTE": "1000000",
        "LOAN_ADVISOR_LOG_LEVEL": "WARNING",
    }
    with api_server(tmp_path, env) as base:
        creds = {"email": "fuzz@example.com", "password": "correct-horse-1"}
        token = httpx.post(f"{base}/v1/auth/signup", json=creds).json()["access_token"]
        schema = schemathesis.openapi.from_url(f"{base}/openapi.json")
        session = requests.Session()
        sent = 0
        timings: dict[str, float] = {}
        operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
        assert len(operations) >= 30

        for operation in operations:
            # Sign-up and login hash a password per call (argon2id, deliberately slow).
            slow = operation.label in ("POST /v1/auth/signup", "POST /v1/auth/login")

            @settings(
                max_examples=15 if slow else EXAMPLES_PER_OPERATION,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy())
            def call(case):
                nonlocal sent
                sent += 1
                case.call_and_validate(
                    base_url=base,
                    session=session,
                    headers={"Authorization": f"Bearer {token}"},
                    # /readyz answers 503 by design while the credit model is not trained yet.
                    checks=CHECKS[1:] if case.path == "/readyz" else CHECKS,
                    timeout=30,
                )

            started = time.perf_counter()
            call()
            timings[operation.label] = round(time.perf_counter() - started, 2)
        slowest = sorted(timings.items(), key=lambda kv: -kv[1])[:5]
        assert sent >= MIN_REQUESTS, (sent, slowest)
        assert sent >= MIN_REQUESTS
