"""One `Scorer` protocol, three transports: in-process, HTTP (the scoring server), SageMaker.

Callers (the agent's `score_applicant` tool via `tools.risk`) get one built by the composition root
and never know where the model runs. All three validate input the same way, so a bad row is
`ScoringRejected` (naming field and row) whichever transport carries it. Remote transports
retry transient failures (connection errors, timeouts, 429/502/503/504, SageMaker throttling)
with jittered exponential backoff, then raise `UpstreamUnavailable`; each call is logged with
its request id, which the server echoes and logs too.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol, TypeVar

import httpx
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)

from core.errors import UpstreamUnavailable, ValidationFailed
from core.ids import new_id
from core.logging import request_id_var
from scoring.model import LoadedModel, ScoreResult
from scoring.server.validation import BadRequest, FeatureSchema

log = logging.getLogger(__name__)
T = TypeVar("T")
RETRY_STATUSES = frozenset({429, 502, 503, 504})
JSON = "application/json"
_SAGEMAKER_TRANSIENT = frozenset(
    "ThrottlingException ServiceUnavailable InternalFailure ModelNotReadyException "
    "InternalDependencyException".split()
)


@dataclass(frozen=True)
class RetryPolicy:
    """Attempts in total (including the first) and the jittered exponential backoff, seconds."""

    attempts: int = 3
    backoff: float = 0.1
    max_backoff: float = 2.0


class Scorer(Protocol):
    """Anything that scores feature rows like `LoadedModel.score` (keys: training columns)."""

    def score(self, rows: Sequence[Mapping[str, Any]], explain: bool = False) -> list[ScoreResult]:
        """Return one result per row, in order.

        Raises:
            ScoringRejected: a row is invalid (the message names field and row).
            UpstreamUnavailable: the model could not be reached after retries.
        """
        ...


class ScoringRejected(ValidationFailed):
    """The scorer refused the input (HTTP 4xx); `errors` holds `{row, field, message}` items."""

    def __init__(
        self,
        message: str,
        *,
        status: int = 400,
        errors: Sequence[Mapping[str, Any]] = (),
        request_id: str | None = None,
    ) -> None:
        first = errors[0] if errors else {}
        super().__init__(message, field=first.get("field"))
        self.status = status
        self.errors = [dict(e) for e in errors]
        self.row: int | None = first.get("row")
        self.request_id = request_id


class _Transient(Exception):
    """A failure worth retrying (kept internal: callers see UpstreamUnavailable)."""


class InProcessScorer:
    """Score with a model loaded in this process, with the server's input checks."""

    def __init__(self, model: LoadedModel) -> None:
        self.model = model
        self.schema = FeatureSchema.from_model(model)

    def score(self, rows: Sequence[Mapping[str, Any]], explain: bool = False) -> list[ScoreResult]:
        """Validate and score `rows` (see `Scorer.score`)."""
        if not rows:
            raise ScoringRejected(
                "scoring rejected the input: no rows",
                errors=[{"row": None, "field": "instances", "message": "empty"}],
            )
        try:
            clean = self.schema.validate(rows)
        except BadRequest as exc:
            raise ScoringRejected(exc.detail, errors=[e.as_dict() for e in exc.errors]) from None
        return self.model.score(clean, explain=explain)


class _RemoteScorer:
    """Shared retry, logging and response decoding of the HTTP and SageMaker transports."""

    transport = "remote"

    def __init__(self, target: str, retry: RetryPolicy) -> None:
        self.target = target
        self.retry = retry

    def _call(self, send: Callable[[bytes, str], T], body: bytes, rows: int) -> T:
        rid = request_id_var.get() or new_id("req")
        start = time.perf_counter()
        retrying = Retrying(
            stop=stop_after_attempt(max(1, self.retry.attempts)),
            wait=wait_exponential_jitter(initial=self.retry.backoff, max=self.retry.max_backoff),
            retry=retry_if_exception(lambda e: isinstance(e, _Transient)),
            before_sleep=self._log_retry,
            reraise=True,
        )
        where = {"transport": self.transport, "target": self.target, "request_id": rid}
        try:
            result = retrying(send, body, rid)
        except _Transient as exc:
            log.error("scoring unavailable", extra={**where, "error": str(exc)})
            raise UpstreamUnavailable(
                f"the scoring service at {self.target} did not answer after "
                f"{self.retry.attempts} attempt(s): {exc}"
            ) from exc
        ms = round((time.perf_counter() - start) * 1000, 3)
        log.info("scored", extra={**where, "rows": rows, "ms": ms})
        return result

    def _log_retry(self, state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        log.warning(
            "scoring retry",
            extra={"target": self.target, "error": str(error), "attempt": state.attempt_number},
        )

    def _decode(self, raw: bytes, rows: int, rid: str) -> list[ScoreResult]:
        try:
            preds = json.loads(raw)["predictions"]
            results = [ScoreResult.model_validate(p) for p in preds]
        except (ValueError, KeyError, TypeError) as exc:
            raise UpstreamUnavailable(
                f"the scoring service at {self.target} sent an unreadable response ({exc})"
            ) from exc
        if len(results) != rows:
            raise UpstreamUnavailable(
                f"the scoring service returned {len(results)} results for {rows} rows"
            )
        return results


def _rejected(status: int, raw: bytes | str, rid: str | None) -> ScoringRejected:
    """Build the typed 4xx error from a problem+json body (or any text)."""
    try:
        problem = json.loads(raw)
        detail = str(problem.get("detail") or problem.get("message") or problem)
        errors = problem.get("errors") or []
    except (ValueError, AttributeError):
        detail = (raw.decode(errors="replace") if isinstance(raw, bytes) else raw)[:500]
        errors = []
    return ScoringRejected(
        f"scoring rejected the input: {detail}", status=status, errors=errors, request_id=rid
    )


def _payload(rows: Sequence[Mapping[str, Any]], explain: bool | None) -> bytes:
    body: dict[str, Any] = {"instances": [dict(r) for r in rows]}
    if explain is not None:
        body["explain"] = explain
    return json.dumps(body, default=_plain).encode()


def _plain(v: Any) -> Any:
    if isinstance(v, Decimal):
        return float(v)
    raise TypeError(f"cannot send {type(v).__name__} to the scoring service")


class HttpScorer(_RemoteScorer):
    """Call the scoring server's `POST /invocations` (locally on loopback, or any URL).

    Args:
        base_url: server root, e.g. http://127.0.0.1:8080.
        timeout: seconds per attempt (connect and read).
        retry: attempts and backoff for transient failures (default `RetryPolicy()`).
        client: an `httpx.Client` to use (tests pass one bound to the ASGI app).
    """

    transport = "http"

    def __init__(self, base_url: str, *, timeout: float = 10.0, retry: RetryPolicy | None = None,
                 client: httpx.Client | None = None) -> None:  # fmt: skip
        self.url = base_url.rstrip("/") + "/invocations"
        super().__init__(self.url, retry or RetryPolicy())
        self._client = client or httpx.Client(timeout=timeout)

    def score(self, rows: Sequence[Mapping[str, Any]], explain: bool = False) -> list[ScoreResult]:
        """POST the rows as `{"instances": [...], "explain": ...}` (see `Scorer.score`)."""
        return self._call(
            lambda b, rid: self._send(b, rid, len(rows)), _payload(rows, explain), len(rows)
        )

    def _send(self, body: bytes, rid: str, rows: int) -> list[ScoreResult]:
        headers = {"content-type": JSON, "accept": JSON, "x-request-id": rid}
        try:
            resp = self._client.post(self.url, content=body, headers=headers)
        except httpx.TransportError as exc:  # connect errors, timeouts, dropped connections
            raise _Transient(f"{type(exc).__name__}: {exc}") from exc
        if resp.status_code in RETRY_STATUSES:
            raise _Transient(f"HTTP {resp.status_code}: {resp.text[:200]}")
        if 400 <= resp.status_code < 500:
            raise _rejected(resp.status_code, resp.content, resp.headers.get("x-request-id", rid))
        if resp.status_code >= 300:
            raise UpstreamUnavailable(f"the scoring service failed: HTTP {resp.status_code}")
        return self._decode(resp.content, rows, rid)

    def close(self) -> None:
        """Close pooled connections."""
        self._client.close()


class SageMakerScorer(_RemoteScorer):
    """Call a SageMaker real-time endpoint with boto3 `sagemaker-runtime` `invoke_endpoint`.

    Args:
        endpoint_name: the SageMaker endpoint.
        region: AWS region.
        endpoint_url: override the runtime URL (e.g. the local scoring server on loopback).
        timeout, retry: as `HttpScorer` (boto3's own retries are off, so one policy governs
            every transport).
        client: a prebuilt `sagemaker-runtime` client (tests pass a stubbed one).
    """

    transport = "sagemaker"

    def __init__(self, endpoint_name: str, *, region: str = "us-east-1",
                 endpoint_url: str | None = None, timeout: float = 10.0,
                 retry: RetryPolicy | None = None, client: Any = None) -> None:  # fmt: skip
        where = f"@{endpoint_url}" if endpoint_url else ""
        super().__init__(f"sagemaker:{endpoint_name}{where}", retry or RetryPolicy())
        self.endpoint_name = endpoint_name
        if client is None:
            import boto3
            from botocore.config import Config

            config = Config(
                connect_timeout=timeout, read_timeout=timeout, retries={"total_max_attempts": 1}
            )
            client = boto3.client(
                "sagemaker-runtime", region_name=region, endpoint_url=endpoint_url, config=config
            )
        self._client = client

    def score(self, rows: Sequence[Mapping[str, Any]], explain: bool = False) -> list[ScoreResult]:
        """Invoke the endpoint; explain travels as custom attribute `explain=true`."""
        return self._call(
            lambda b, rid: self._send(b, rid, len(rows), explain), _payload(rows, None), len(rows)
        )

    def _send(self, body: bytes, rid: str, rows: int, explain: bool) -> list[ScoreResult]:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            resp = self._client.invoke_endpoint(
                EndpointName=self.endpoint_name,
                Body=body,
                ContentType=JSON,
                Accept=JSON,
                InferenceId=rid,
                CustomAttributes=f"explain={'true' if explain else 'false'}",
            )
            raw = resp["Body"].read()
        except ClientError as exc:
            raise _sagemaker_error(exc, rid) from exc
        except BotoCoreError as exc:  # endpoint connection errors, timeouts
            raise _Transient(f"{type(exc).__name__}: {exc}") from exc
        aws_id = resp.get("ResponseMetadata", {}).get("RequestId")
        if aws_id and aws_id != rid:
            log.info("sagemaker request", extra={"request_id": rid, "aws_request_id": aws_id})
        return self._decode(raw, rows, rid)


def _sagemaker_error(exc: Any, rid: str) -> Exception:
    """Map a botocore ClientError: container 4xx -> ScoringRejected, transient -> retry."""
    err = exc.response.get("Error", {})
    code = str(err.get("Code", ""))
    status = int(exc.response.get("OriginalStatusCode") or err.get("OriginalStatusCode") or 0)
    if code == "ModelError":
        if 400 <= status < 500 and status != 429:
            original = exc.response.get("OriginalMessage") or err.get("OriginalMessage") or ""
            return _rejected(status, str(original), rid)
        message = f"ModelError (container HTTP {status or '?'}): {err.get('Message')}"
        if status in RETRY_STATUSES:
            return _Transient(message)
        return UpstreamUnavailable(f"the scoring model failed: {message}")
    if code in _SAGEMAKER_TRANSIENT:
        return _Transient(f"{code}: {err.get('Message')}")
    if code == "ValidationError":
        return ScoringRejected(f"SageMaker refused the call: {err.get('Message')}", request_id=rid)
    return UpstreamUnavailable(f"SageMaker call failed ({code}): {err.get('Message')}")
