"""`serve` with two worker processes: both start on one var dir (one key pair, one staff
account) and either can verify the other's tokens."""

from __future__ import annotations

import httpx

from tests.integration.servers import api_server


def test_two_workers_share_keys_store_and_staff(tmp_path):
    env = {
        "LOAN_ADVISOR_API_WORKERS": "2",
        "LOAN_ADVISOR_STAFF_EMAIL": "staff@example.com",
        "LOAN_ADVISOR_STAFF_PASSWORD": "staff-password-1",
    }
    with api_server(tmp_path, env) as base, httpx.Client(base_url=base, timeout=30) as http:
        creds = {"email": "staff@example.com", "password": "staff-password-1"}
        token = http.post("/v1/auth/login", json=creds).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        # Fresh connections spread over both workers; every one accepts the token.
        for _ in range(10):
            with httpx.Client(base_url=base, timeout=30) as fresh:
                assert fresh.get("/v1/auth/me", headers=headers).json()["role"] == "staff"
    assert len(list((tmp_path / "auth").glob("*.pem"))) == 1
