"""Schemathesis against the app's own OpenAPI on a real server: every check, zero failures.

At least 1,000 generated requests (valid and invalid inputs) across every operation, sent
with an applicant's token (and unauthenticated for the public routes). All of schemathesis'
checks run (server errors, status codes, content types, response schemas and headers,
negative-data rejection, positive-data acceptance, ignored auth, ...); every operation runs
to the end and the failures are reported together.
"""

from __future__ import annotations

import time
import uuid

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error, positive_data_acceptance

from tests.integration.servers import api_server

# The only checks left out, each for one operation and a reason JSON Schema cannot express:
# /readyz answers 503 by design while the credit model is not trained yet; an upload's bytes
# are judged by image and PDF decoders, so schema-valid bytes ("any binary") are mostly a 422.
EXCLUDED = {
    ("GET", "/readyz"): [not_a_server_error],
    ("POST", "/v1/documents"): [positive_data_acceptance],
}
EXAMPLES_PER_OPERATION = 40
MIN_REQUESTS = 1000


@pytest.mark.slow
def test_fuzz_every_operation_with_every_check_and_no_failures(tmp_path):
    env = {
        "LOAN_ADVISOR_RATE_LIMIT_USER_PER_MINUTE": "1000000",
        "LOAN_ADVISOR_RATE_LIMIT_IP_PER_MINUTE": "1000000",
        "LOAN_ADVISOR_CHAT_TURNS_PER_MINUTE": "1000000",
        "LOAN_ADVISOR_LOGIN_FAILURES_BEFORE_LOCKOUT": "1000000",
        "LOAN_ADVISOR_LOGIN_IP_FAILURES_BEFORE_LOCKOUT": "1000000",
        "LOAN_ADVISOR_LOG_LEVEL": "WARNING",
    }
    with api_server(tmp_path, env) as base:
        creds = {"email": "fuzz@example.com", "password": "correct-horse-1"}
        assert httpx.post(f"{base}/v1/auth/signup", json=creds).status_code == 202
        token = httpx.post(f"{base}/v1/auth/login", json=creds).json()["access_token"]
        schema = schemathesis.openapi.from_url(f"{base}/openapi.json")
        session = requests.Session()
        sent = 0
        timings: dict[str, float] = {}
        failures: dict[str, str] = {}
        operations = [result.ok() for result in schema.get_all_operations()]
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
                if case.headers and "Idempotency-Key" in case.headers:
                    # A key reused with a different body is refused by design (stateful, not
                    # a schema matter); the generator would otherwise replay its examples.
                    case.headers["Idempotency-Key"] = f"fuzz-{uuid.uuid4().hex}"
                case.call_and_validate(
                    base_url=base,
                    session=session,
                    headers={"Authorization": f"Bearer {token}"},
                    excluded_checks=EXCLUDED.get((case.method.upper(), case.path)),
                    timeout=30,
                )

            started = time.perf_counter()
            try:
                call()
            except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collect them all
                failures[operation.label] = str(exc)[:2000]
            timings[operation.label] = round(time.perf_counter() - started, 2)
        slowest = sorted(timings.items(), key=lambda kv: -kv[1])[:5]
        assert not failures, "\n\n".join(f"{k}: {v}" for k, v in failures.items())
        assert sent >= MIN_REQUESTS, (sent, slowest)
