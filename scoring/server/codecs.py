"""Bodies of `/invocations`: JSON, JSON Lines and CSV in, JSON, JSON Lines or CSV out.

Accepted request bodies (Content-Type decides; a missing one is sniffed from the first byte):

* `application/json`: one applicant `{...features, "explain": true?}`, a batch `[{...}, ...]`,
  or the SageMaker/TF-serving style `{"instances": [{...}, ...], "explain": true?}`.
* `application/jsonlines`: one applicant object per line (SageMaker batch transform).
* `text/csv`: one applicant per line, with a header naming the columns, or headerless with the
  columns in the model's feature order (the convention of SageMaker's built-in algorithms).

The `Accept` header picks the response type; JSON is the default (`*/*` or none).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from scoring.model import ScoreResult
from scoring.server.validation import BadRequest, RowError

JSON = "application/json"
JSONLINES = "application/jsonlines"
CSV = "text/csv"
_JSON_TYPES = {JSON, "application/x-json", "text/json"}
_JSONLINES_TYPES = {JSONLINES, "application/jsonl", "application/x-jsonlines"}
_CSV_TYPES = {CSV, "application/csv", "text/x-csv"}
_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


@dataclass
class Invocation:
    """A parsed request: raw rows (validated later) and the body's explain flag, if any."""

    rows: list[Any]
    explain: bool | None = None


def media_type(header: str | None) -> str:
    """Return the bare, lower-case media type of a Content-Type/Accept item ('' when absent)."""
    return (header or "").split(";", 1)[0].strip().lower()


def parse_request(body: bytes, content_type: str | None, features: Sequence[str]) -> Invocation:
    """Decode a request body into rows.

    Raises:
        BadRequest: empty body, malformed JSON/CSV, a wrong shape (400) or an unsupported
            Content-Type (415).
    """
    if not body.strip():
        raise BadRequest("the request body is empty", [RowError(None, "body", "empty body")])
    kind = media_type(content_type)
    if kind in ("", "application/octet-stream"):
        kind = JSON if body.lstrip()[:1] in (b"{", b"[") else CSV
    if kind in _JSON_TYPES:
        return _from_json(_load_json(body))
    if kind in _JSONLINES_TYPES:
        lines = [ln for ln in body.splitlines() if ln.strip()]
        return Invocation([_load_json(ln, line=n) for n, ln in enumerate(lines)])
    if kind in _CSV_TYPES:
        return Invocation(_from_csv(body, features))
    raise BadRequest(
        f"unsupported Content-Type {content_type!r} (use {JSON}, {JSONLINES} or {CSV})",
        [RowError(None, "Content-Type", "unsupported media type")],
        status=415,
        title="Unsupported media type",
    )


def _load_json(raw: bytes, line: int | None = None) -> Any:
    try:
        return json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        where = f"line {line}: " if line is not None else ""
        msg, pos = "not UTF-8", ""
        if isinstance(exc, json.JSONDecodeError):
            msg, pos = exc.msg, f" at line {exc.lineno} column {exc.colno}"
        raise BadRequest(
            f"{where}the body is not valid JSON ({msg}{pos})",
            [RowError(line, "body", f"invalid JSON: {msg}{pos}")],
        ) from None


def _from_json(payload: Any) -> Invocation:
    if isinstance(payload, list):
        return Invocation(payload)
    if not isinstance(payload, dict):
        raise BadRequest(
            'expected a JSON object, a list of objects, or {"instances": [...]}',
            [RowError(None, "body", "wrong JSON shape")],
        )
    explain = _explain_field(payload.get("explain"))
    if "instances" in payload:
        rows = payload["instances"]
        if not isinstance(rows, list):
            raise BadRequest(
                '"instances" must be a list of objects',
                [RowError(None, "instances", "not a list")],
            )
        return Invocation(rows, explain)
    row = {k: v for k, v in payload.items() if k != "explain"}
    return Invocation([row], explain)


def _explain_field(value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise BadRequest(
        f'"explain" must be true or false, got {value!r}',
        [RowError(None, "explain", "not a boolean")],
    )


def _from_csv(body: bytes, features: Sequence[str]) -> list[dict[str, Any]]:
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadRequest(
            "the CSV body is not UTF-8 text", [RowError(None, "body", "not UTF-8")]
        ) from None
    try:
        lines = [r for r in csv.reader(io.StringIO(text), strict=True) if any(c.strip() for c in r)]
    except csv.Error as exc:
        raise BadRequest(
            f"the body is not valid CSV ({exc})", [RowError(None, "body", f"invalid CSV: {exc}")]
        ) from None
    if not lines:
        raise BadRequest("the CSV body has no rows", [RowError(None, "body", "no rows")])
    first = [c.strip() for c in lines[0]]
    known = set(features)
    if any(c in known for c in first):
        header, data = first, lines[1:]
        missing = [f for f in features if f not in header]
        if missing:
            raise BadRequest(
                f"the CSV header lacks column(s): {', '.join(missing)}",
                [RowError(None, f, f"missing column {f!r}") for f in missing],
            )
        if not data:
            raise BadRequest(
                "the CSV body has a header but no rows", [RowError(None, "body", "no rows")]
            )
    else:
        header, data = list(features), lines
    rows: list[dict[str, Any]] = []
    errors: list[RowError] = []
    for i, cells in enumerate(data):
        if len(cells) != len(header):
            errors.append(
                RowError(i, "row", f"expected {len(header)} CSV values, got {len(cells)}")
            )
            continue
        rows.append({h: c.strip() for h, c in zip(header, cells, strict=True)})
    if errors:
        raise BadRequest.from_errors(errors[:20])
    return rows


def response_type(accept: str | None) -> str:
    """Pick the response media type from an Accept header (JSON unless CSV/JSON Lines is asked).

    Raises:
        BadRequest: 406 when nothing acceptable is offered.
    """
    items = [media_type(a) for a in (accept or "").split(",") if a.strip()]
    if not items:
        return JSON
    for item in items:
        if item in _JSON_TYPES or item in ("*/*", "application/*"):
            return JSON
        if item in _CSV_TYPES or item == "text/*":
            return CSV
        if item in _JSONLINES_TYPES:
            return JSONLINES
    raise BadRequest(
        f"cannot answer with {accept!r} (use {JSON}, {JSONLINES} or {CSV})",
        [RowError(None, "Accept", "not acceptable")],
        status=406,
        title="Not acceptable",
    )


def custom_attributes(header: str | None) -> dict[str, str]:
    """Parse `X-Amzn-SageMaker-Custom-Attributes` (`k=v` pairs split by ',' or ';')."""
    out: dict[str, str] = {}
    for part in (header or "").replace(";", ",").split(","):
        key, sep, value = part.partition("=")
        if sep and key.strip():
            out[key.strip().lower()] = value.strip()
    return out


def explain_attribute(attrs: dict[str, str]) -> bool | None:
    """Read `explain=true|false` from custom attributes (None when absent or unreadable)."""
    value = attrs.get("explain", "").lower()
    return True if value in _TRUE else False if value in _FALSE else None


def encode_response(results: Sequence[ScoreResult], kind: str, features: Sequence[str]) -> bytes:
    """Serialise results as `{"predictions": [...]}` (JSON), one object per line, or CSV."""
    if kind == CSV:
        return _to_csv(results, features)
    preds = [r.model_dump(exclude_none=True) for r in results]
    if kind == JSONLINES:
        return "".join(json.dumps(p) + "\n" for p in preds).encode()
    return json.dumps({"predictions": preds}).encode()


def _to_csv(results: Sequence[ScoreResult], features: Sequence[str]) -> bytes:
    explain = any(r.contributions is not None for r in results)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    head = ["probability_of_default", "risk_tier", "model_version", "decision"]
    if explain:
        head += ["reason_codes", "reasons", *(f"shap_{f}" for f in features)]
    w.writerow(head)
    for r in results:
        line: list[Any] = [repr(r.probability_of_default), r.risk_tier, r.model_version, r.decision]
        if explain:
            reasons = r.reasons or []
            contrib = r.contributions or {}
            line += [";".join(x.code for x in reasons), "; ".join(x.text for x in reasons)]
            line += [repr(contrib[f]) if f in contrib else "" for f in features]
        w.writerow(line)
    return buf.getvalue().encode()
