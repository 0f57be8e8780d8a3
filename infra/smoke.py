"""Smoke test of a running deployment (or `make run`): `python -m infra.smoke <base-url>`.

CI runs it against staging after each deploy and against prod after promotion; a failure
fails the job, and the CodeDeploy canary's alarms roll the alias back. It checks only what
must hold everywhere without credentials: the probes answer, the sign-in config is served,
and a protected route refuses an anonymous caller.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from typing import Protocol

import httpx


class _Response(Protocol):
    status_code: int


class HttpClient(Protocol):
    """What the checks need: an httpx client (or Starlette's TestClient) with a base URL."""

    def request(self, method: str, url: str) -> _Response:  # noqa: D102 - as httpx's
        ...


@dataclass(frozen=True)
class Check:
    """One smoke check's outcome."""

    name: str
    ok: bool
    detail: str


def run_checks(client: HttpClient, *, expect_ui: bool = False) -> list[Check]:
    """Run every check against the client's base URL and return the outcomes."""
    checks = [
        _status(client, "liveness", "GET", "/healthz", {200}),
        _status(client, "readiness", "GET", "/readyz", {200}),
        _status(client, "auth config", "GET", "/v1/auth/config", {200}),
        _status(client, "anonymous is refused", "GET", "/v1/applications", {401, 403}),
    ]
    if expect_ui:
        checks.append(_status(client, "web app", "GET", "/", {200}))
    return checks


def _status(client: HttpClient, name: str, method: str, path: str, want: set[int]) -> Check:
    try:
        response = client.request(method, path)
    except httpx.HTTPError as exc:
        return Check(name, False, f"{method} {path}: {exc}")
    ok = response.status_code in want
    return Check(name, ok, f"{method} {path} -> {response.status_code}")


def main(argv: list[str] | None = None) -> int:
    """Run the checks against a base URL; exit 1 if any fails."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("base_url", help="e.g. https://staging.loan-advisor.example.com")
    parser.add_argument("--expect-ui", action="store_true", help="also expect the web app at /")
    parser.add_argument("--timeout", type=float, default=15.0)
    args = parser.parse_args(argv)
    with httpx.Client(base_url=args.base_url, timeout=args.timeout) as client:
        checks = run_checks(client, expect_ui=args.expect_ui)
    for check in checks:
        sys.stdout.write(f"{'PASS' if check.ok else 'FAIL'}  {check.name}: {check.detail}\n")
    return 0 if all(c.ok for c in checks) else 1


if __name__ == "__main__":
    raise SystemExit(main())
