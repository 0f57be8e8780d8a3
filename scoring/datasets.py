"""Load any tabular credit CSV into a validated dataset: target, features, protected columns.

The spec is generic (`--target COL --positive LABEL [--drop COL ...]`) so a bank can bring its own
file; the seed file gets a preset that also drops the columns known to leak the label.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from core.errors import ValidationFailed

SEED_FILE = "personalized_loan_recommendation_dataset.csv"
# payment_history is the credit-score band, interest_rate/monthly_payment are priced from it:
# all three are set *after* the decision in the seed file and leak the label.
SEED_LEAKY = ("payment_history", "interest_rate", "monthly_payment")
# Attributes that ECOA / Regulation B forbids as decision inputs (age may only be used in an
# empirically sound system; we exclude it by default and report fairness by age band instead).
_PROTECTED_PATTERN = re.compile(
    r"(^|_)(age|sex|gender|marital|personal_status|race|religion|ethnic\w*|national\w*)(_|$)",
    re.IGNORECASE,
)
_ID_PATTERN = re.compile(r"(^id$|_id$|^id_|uuid)", re.IGNORECASE)


@dataclass(frozen=True)
class DatasetSpec:
    """How to read a CSV as a credit dataset.

    Attributes:
        target: label column.
        positive: label value meaning default / bad risk (the class the model predicts).
        drop: extra columns to leave out (leaky, identifiers, ...).
        numeric: columns forced numeric (overrides inference).
        categorical: columns forced categorical (overrides inference).
        include_protected: keep protected attributes as model inputs (off by default).
    """

    target: str
    positive: str
    drop: tuple[str, ...] = ()
    numeric: tuple[str, ...] = ()
    categorical: tuple[str, ...] = ()
    include_protected: bool = False


SEED_SPEC = DatasetSpec(
    target="approval_status", positive="Rejected", drop=("customer_id", *SEED_LEAKY)
)


@dataclass
class Dataset:
    """A validated dataset ready for modelling.

    Attributes:
        frame: the raw file as read (all columns), for EDA.
        X: model inputs only (protected, dropped and id columns removed).
        y: 1 for the positive (bad) class, 0 otherwise.
        numeric: numeric feature names in X.
        categorical: categorical feature names in X.
        protected: protected columns found (kept aside for the fairness report).
        dropped: columns removed from X and why.
        data_hash: sha256 of the file bytes, recorded with every model.
    """

    spec: DatasetSpec
    frame: pd.DataFrame
    X: pd.DataFrame
    y: np.ndarray
    numeric: list[str]
    categorical: list[str]
    protected: list[str]
    dropped: dict[str, str] = field(default_factory=dict)
    data_hash: str = ""
    path: str = ""

    @property
    def features(self) -> list[str]:
        """Model input columns, numeric first."""
        return [*self.numeric, *self.categorical]


def is_protected(column: str) -> bool:
    """Return whether a column name denotes a protected attribute (age, sex, marital status...)."""
    return bool(_PROTECTED_PATTERN.search(column))


def read_csv(path: str | Path) -> tuple[pd.DataFrame, str]:
    """Read a CSV and its sha256, turning every failure into one line that names the problem."""
    p = Path(path)
    if not p.is_file():
        raise ValidationFailed(f"data file not found: {p}", field="data")
    raw = p.read_bytes()
    if not raw.strip():
        raise ValidationFailed(f"data file is empty: {p}", field="data")
    if b"\x00" in raw[:4096]:
        raise ValidationFailed(f"not a CSV file (binary content): {p}", field="data")
    try:
        frame = pd.read_csv(p)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ValidationFailed(f"not a readable CSV file: {p} ({first})", field="data") from exc
    if frame.shape[1] < 2 or len(frame) < 2:
        raise ValidationFailed(
            f"not a tabular CSV (need >= 2 columns and rows, got {frame.shape}): {p}",
            field="data",
        )
    return frame, hashlib.sha256(raw).hexdigest()


def _infer_types(X: pd.DataFrame, spec: DatasetSpec) -> tuple[list[str], list[str]]:
    numeric, categorical = [], []
    for col in X.columns:
        if col in spec.categorical:
            categorical.append(col)
        elif col in spec.numeric:
            if not pd.api.types.is_numeric_dtype(X[col]):
                coerced = pd.to_numeric(X[col], errors="coerce")
                if coerced.notna().sum() < X[col].notna().sum():
                    raise ValidationFailed(f"column {col!r} is not numeric", field=col)
            numeric.append(col)
        elif pd.api.types.is_numeric_dtype(X[col]) and not pd.api.types.is_bool_dtype(X[col]):
            numeric.append(col)
        else:
            categorical.append(col)
    return numeric, categorical


def prepare(frame: pd.DataFrame, spec: DatasetSpec, data_hash: str = "", path: str = "") -> Dataset:
    """Validate a frame against a spec and split it into model inputs, label and protected columns.

    Raises:
        ValidationFailed: missing target, unknown positive label, a single class, unknown columns
            in `drop`/overrides, or no feature left.
    """
    if spec.target not in frame.columns:
        raise ValidationFailed(
            f"target column {spec.target!r} not in data "
            f"(columns: {', '.join(map(str, frame.columns[:12]))})",
            field="target",
        )
    labels = frame[spec.target].dropna().astype(str).str.strip()
    present = sorted(labels.unique())
    if len(present) < 2:
        raise ValidationFailed(
            f"target {spec.target!r} has only one class ({', '.join(present) or 'none'})",
            field="target",
        )
    if spec.positive not in present:
        raise ValidationFailed(
            f"positive label {spec.positive!r} not found in target {spec.target!r} "
            f"(labels: {', '.join(present[:10])})",
            field="positive",
        )
    for col in (*spec.drop, *spec.numeric, *spec.categorical):
        if col not in frame.columns:
            raise ValidationFailed(f"column {col!r} not in data", field=col)
    frame = frame.loc[frame[spec.target].notna()].reset_index(drop=True)
    y = (frame[spec.target].astype(str).str.strip() == spec.positive).to_numpy(dtype=np.int64)
    dropped = dict.fromkeys(spec.drop, "requested")
    for col in frame.columns:
        if col == spec.target or col in dropped:
            continue
        if _ID_PATTERN.search(str(col)) and frame[col].nunique() > 0.9 * len(frame):
            dropped[col] = "identifier"
    protected = [c for c in frame.columns if c != spec.target and is_protected(str(c))]
    if not spec.include_protected:
        for col in protected:
            dropped.setdefault(col, "protected attribute")
    X = frame.drop(columns=[spec.target, *dropped]).copy()
    if X.shape[1] == 0:
        raise ValidationFailed("no feature columns left after drops", field="drop")
    numeric, categorical = _infer_types(X, spec)
    for col in numeric:
        X[col] = pd.to_numeric(X[col], errors="coerce").astype(float)
    for col in categorical:
        X[col] = X[col].astype("object").where(X[col].notna(), None)
        X[col] = X[col].map(lambda v: None if v is None else str(v))
    X = X[[*numeric, *categorical]]
    return Dataset(spec, frame, X, y, numeric, categorical, protected, dropped, data_hash, path)


def load_dataset(path: str | Path, spec: DatasetSpec) -> Dataset:
    """Read and validate a CSV in one step (see `read_csv` and `prepare`)."""
    frame, digest = read_csv(path)
    return prepare(frame, spec, digest, str(path))


def find_seed_file(data_dir: Path | None = None) -> Path | None:
    """Locate the seed file in ../shared/data (it is never copied into the repo)."""
    candidates = [data_dir] if data_dir else []
    here = Path(__file__).resolve().parents[1]
    candidates += [here.parent / "shared" / "data", Path.cwd().parent / "shared" / "data"]
    for folder in candidates:
        if folder is not None and (folder / SEED_FILE).is_file():
            return folder / SEED_FILE
    return None


def load_seed(path: str | Path | None = None) -> Dataset:
    """Load the seed dataset with the leak-free, protected-free preset."""
    p = Path(path) if path else find_seed_file()
    if p is None:
        raise ValidationFailed(f"seed file {SEED_FILE} not found in ../shared/data", field="data")
    return load_dataset(p, SEED_SPEC)
