"""The Lambda image's start script serves the API the way the Lambda Web Adapter expects.

LWA itself is an AWS binary we cannot run here; what it needs from us is a server on
AWS_LWA_PORT (loopback) that answers the readiness path and writes the chat as a chunked
(streamed, no Content-Length) SSE body, which response_stream mode passes through.
"""

import os
import re
import sys
from pathlib import Path

import httpx

from tests.integration.servers import free_port, running

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "infra" / "api_lambda" / "Dockerfile"


def _lwa_env() -> dict[str, str]:
    return dict(re.findall(r"^\s+(AWS_LWA_\w+)=(\S+)", DOCKERFILE.read_text(), re.MULTILINE))


def test_image_runs_the_adapter_in_response_stream_mode():
    text = DOCKERFILE.read_text()
    assert "/lambda-adapter /opt/extensions/lambda-adapter" in text
    env = _lwa_env()
    assert env["AWS_LWA_INVOKE_MODE"] == "response_stream"
    assert env["AWS_LWA_READINESS_CHECK_PATH"] == "/healthz"
    assert 'CMD ["sh", "/opt/app/run.sh"]' in text


def test_start_script_streams_chat_where_the_adapter_looks(tmp_path):
    port = free_port()
    env = {
        "AWS_LWA_PORT": str(port),
        "LOAN_ADVISOR_VAR_DIR": str(tmp_path),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    readiness = _lwa_env()["AWS_LWA_READINESS_CHECK_PATH"]
    script = ROOT / "infra" / "api_lambda" / "run.sh"
    with (
        running(["sh", str(script)], f"http://127.0.0.1:{port}{readiness}", env=env),
        httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as http,
    ):
        creds = {"email": "lwa@example.com", "password": "correct-horse-1"}
        http.post("/v1/auth/signup", json=creds)
        token = http.post("/v1/auth/login", json=creds).json()["access_token"]
        http.headers["Authorization"] = f"Bearer {token}"
        thread = http.post("/v1/threads", json={}).json()["thread_id"]
        body = {"message": "I want a car loan of $20,000 over 4 years"}
        with http.stream("POST", f"/v1/chat/{thread}", json=body) as r:
            assert r.status_code == 200
            assert r.headers["content-type"].startswith("text/event-stream")
            assert "content-length" not in r.headers  # chunked: the adapter can stream it
            text = "".join(r.iter_text())
        assert "event: token" in text and "event: done" in text
