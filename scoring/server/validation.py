"""Check feature rows against the loaded model before scoring, so bad input is a 400, not a guess.

`LoadedModel.score` is lenient on purpose (unknown categories encode as zeros, unparsable numbers
take the training median). A service must not be: a typo in a field name or a negative income
would silently produce a plausible probability. `FeatureSchema` is built from the model itself
(its numeric columns and the categories seen in training), so it stays dataset-generic, and adds
range rules for the columns it knows by name (the seed schema, the German credit file).

Rules: every feature must be present as a key; an explicit null (or an empty CSV cell) means
"unknown" and is imputed by the model; numbers must be finite and inside known bounds;
categories must be ones the model was trained on (matched case-insensitively). Extra keys are
ignored.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from scoring.model import LoadedModel

MAX_REPORTED_ERRORS = 20


@dataclass(frozen=True)
class Bound:
    """Accepted interval of a numeric feature (None = unbounded); `low_open` excludes `low`."""

    low: float | None = None
    high: float | None = None
    low_open: bool = False
    unit: str = ""

    def check(self, value: float) -> str | None:
        """Return why `value` is out of range, or None when it is fine."""
        if self.low is not None and (value <= self.low if self.low_open else value < self.low):
            op = "greater than" if self.low_open else "at least"
            return f"must be {op} {_fmt(self.low)}{self.unit}"
        if self.high is not None and value > self.high:
            return f"must be at most {_fmt(self.high)}{self.unit}"
        return None


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)


# Domain limits for columns known by name (CONTRACTS.md units; ApplicantProfile/LoanRequest
# mirror them). Columns not listed only need to be finite numbers.
KNOWN_BOUNDS: dict[str, Bound] = {
    "annual_income": Bound(0, 100_000_000, low_open=True, unit=" USD/yr"),
    "credit_score": Bound(300, 850),
    "years_employed": Bound(0, 60, unit=" years"),
    "debt_to_income_ratio": Bound(0, 1000, unit=" %"),
    "savings_balance": Bound(0, None, unit=" USD"),
    "num_dependents": Bound(0, 20),
    "requested_loan_amount": Bound(0, 10_000_000, low_open=True, unit=" USD"),
    "existing_loans": Bound(0, 20),
    "loan_term": Bound(0, 50, low_open=True, unit=" years"),
    "duration_in_month": Bound(0, 600, low_open=True, unit=" months"),
    "credit_amount": Bound(0, None, low_open=True),
}


@dataclass(frozen=True)
class RowError:
    """One problem in one input row (`row` is the 0-based index in the batch, None = request)."""

    row: int | None
    field: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        """Serialise for the problem+json `errors` list."""
        return {"row": self.row, "field": self.field, "message": self.message}


class BadRequest(Exception):
    """A request the server refuses; carries every problem found (capped) and the HTTP status."""

    def __init__(
        self, detail: str, errors: Sequence[RowError] = (), *, status: int = 400, title: str = ""
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = list(errors)
        self.status = status
        self.title = title or "Invalid input"

    @classmethod
    def from_errors(cls, errors: Sequence[RowError]) -> BadRequest:
        """Build the 400 for row errors; the detail leads with the first one."""
        first = errors[0]
        where = f"row {first.row}: " if first.row is not None else ""
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        return cls(f"{where}{first.message}{more}", errors)


@dataclass
class FeatureSchema:
    """What a valid input row looks like for one model (built by `from_model`)."""

    numeric: list[str]
    categories: dict[str, dict[str, str]]  # column -> lower-cased value -> canonical value
    bounds: dict[str, Bound] = field(default_factory=dict)

    @property
    def features(self) -> list[str]:
        """Input columns, numeric first (the column order of headerless CSV)."""
        return [*self.numeric, *self.categories]

    @classmethod
    def from_model(cls, model: LoadedModel) -> FeatureSchema:
        """Derive the schema from the model's fitted encoder and the known domain bounds."""
        enc = model.model.encoder
        numeric = [str(c) for c in enc.numeric]
        categories = {
            str(col): {str(v).lower(): str(v) for v in cats}
            for col, cats in zip(enc.categorical, enc.categories_, strict=True)
        }
        bounds = {c: KNOWN_BOUNDS[c] for c in numeric if c in KNOWN_BOUNDS}
        return cls(numeric, categories, bounds)

    def describe(self) -> dict[str, Any]:
        """Summarise the schema for people (served by `/ping` and the docs)."""
        return {
            "numeric": {
                c: {"min": b.low, "max": b.high, "min_exclusive": b.low_open}
                if (b := self.bounds.get(c))
                else {}
                for c in self.numeric
            },
            "categorical": {c: sorted(m.values()) for c, m in self.categories.items()},
        }

    def validate(self, rows: Sequence[Any]) -> list[dict[str, Any]]:
        """Return cleaned rows (numbers as float, categories canonical, unknown as None).

        Raises:
            BadRequest: listing up to `MAX_REPORTED_ERRORS` problems, each naming row and field.
        """
        errors: list[RowError] = []
        out: list[dict[str, Any]] = []
        for i, row in enumerate(rows):
            if not isinstance(row, Mapping):
                errors.append(RowError(i, "row", f"expected an object, got {_kind(row)}"))
            else:
                out.append(self._clean(i, row, errors))
            if len(errors) >= MAX_REPORTED_ERRORS:
                break
        if errors:
            raise BadRequest.from_errors(errors)
        return out

    def _clean(self, i: int, row: Mapping[str, Any], errors: list[RowError]) -> dict[str, Any]:
        clean: dict[str, Any] = {}
        for col in self.numeric:
            if col not in row:
                errors.append(RowError(i, col, f"missing field {col!r}"))
                continue
            value = _number(row[col])
            if value is _BAD:
                errors.append(RowError(i, col, f"{col} must be a number, got {row[col]!r}"))
            elif value is not None:
                bound = self.bounds.get(col)
                why = bound.check(value) if bound else None
                if why:
                    raw = row[col]  # echo what was sent (a float may not hold a huge int)
                    shown = _fmt(value) if isinstance(raw, float) else str(raw).strip()
                    errors.append(RowError(i, col, f"{col} {shown} {why}"))
            clean[col] = value
        for col, allowed in self.categories.items():
            if col not in row:
                errors.append(RowError(i, col, f"missing field {col!r}"))
                continue
            raw = row[col]
            if raw is None or raw == "":
                clean[col] = None
                continue
            canonical = allowed.get(str(raw).strip().lower()) if not isinstance(raw, bool) else None
            if canonical is None:
                choices = ", ".join(sorted(allowed.values()))
                errors.append(
                    RowError(i, col, f"unknown {col} {raw!r} (expected one of: {choices})")
                )
            clean[col] = canonical
        return clean


_BAD = object()


def _number(v: Any) -> Any:
    """Parse a JSON or CSV value as a finite float; None for unknown, `_BAD` when invalid."""
    if v is None or v == "":
        return None
    if isinstance(v, bool):
        return _BAD
    if isinstance(v, int | float):
        f = float(v)
    elif isinstance(v, str):
        try:
            f = float(v.strip())
        except ValueError:
            return _BAD
    else:
        try:
            f = float(v)  # Decimal and numpy scalars from in-process callers
        except (TypeError, ValueError):
            return _BAD
    return f if math.isfinite(f) else _BAD


def _kind(v: Any) -> str:
    return {list: "a list", str: "a string", type(None): "null"}.get(type(v), type(v).__name__)
