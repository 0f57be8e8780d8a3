import base64
import json

from api.lambda_handler import LambdaHandler
from api.main import create_app
from tests.fakes.knowledge import FakeKnowledgeBase
from tests.fakes.scoring import RuleScorer


def _event(method, path, body=None, headers=None):
    """An API Gateway HTTP API (payload v2) event."""
    raw = json.dumps(body).encode() if body is not None else b""
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {
            "host": "api.example.com",
            "content-type": "application/json",
            **(headers or {}),
        },
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "api",
            "domainName": "api.example.com",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "203.0.113.9",
                "userAgent": "test",
            },
            "requestId": "req-1",
            "routeKey": "$default",
            "stage": "$default",
            "time": "01/Jan/2026:00:00:00 +0000",
            "timeEpoch": 0,
        },
        "body": base64.b64encode(raw).decode(),
        "isBase64Encoded": True,
    }


def test_api_gateway_events_drive_the_app(settings):
    handler = LambdaHandler(
        create_app(settings, scorer=RuleScorer(), knowledge=FakeKnowledgeBase())
    )
    try:
        r = handler(_event("GET", "/healthz"), None)
        assert r["statusCode"] == 200 and json.loads(r["body"]) == {"status": "ok"}
        creds = {"email": "lambda@example.com", "password": "correct-horse-1"}
        r = handler(_event("POST", "/v1/auth/signup", creds), None)
        assert r["statusCode"] == 202
        r = handler(_event("POST", "/v1/auth/login", creds), None)
        assert r["statusCode"] == 200
        token = json.loads(r["body"])["access_token"]
        r = handler(_event("GET", "/v1/applications"), None)
        assert r["statusCode"] == 401
        r = handler(
            _event("GET", "/v1/auth/me", headers={"authorization": f"Bearer {token}"}), None
        )
        assert r["statusCode"] == 200 and json.loads(r["body"])["email"] == "lambda@example.com"
        assert r["headers"]["x-content-type-options"] == "nosniff"
    finally:
        handler.close()
