"""Preprocessing: a scikit-learn ColumnTransformer for fitting, compiled to numpy for scoring.

`TabularEncoder` fits a standard pipeline (median imputation + StandardScaler for numbers,
most-frequent imputation + one-hot for categories) and then keeps the fitted statistics as plain
arrays, so one applicant can be encoded from a dict in microseconds without building a DataFrame
(the ColumnTransformer path costs milliseconds per call). Both paths give the same matrix; a unit
test holds them together.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

# Ratio features added when both columns exist: size of the ask relative to what repays it.
RATIO_FEATURES: dict[str, tuple[str, str]] = {
    "loan_to_income": ("requested_loan_amount", "annual_income"),
    "amount_per_month": ("credit_amount", "duration_in_month"),
}


def add_engineered(X: pd.DataFrame) -> pd.DataFrame:
    """Return X plus ratio features whose inputs are present (see `RATIO_FEATURES`)."""
    out = X.copy()
    for name, (num, den) in RATIO_FEATURES.items():
        if num in out.columns and den in out.columns:
            d = out[den].astype(float)
            out[name] = out[num].astype(float) / d.where(d > 0)
    return out


class TabularEncoder(BaseEstimator, TransformerMixin):  # type: ignore[misc]
    """Impute, scale and one-hot encode; engineered ratios included.

    Args:
        numeric: raw numeric columns.
        categorical: raw categorical columns.
    """

    def __init__(self, numeric: Sequence[str] = (), categorical: Sequence[str] = ()) -> None:
        self.numeric = numeric
        self.categorical = categorical

    def _num_cols(self) -> list[str]:
        cols = list(self.numeric)
        for name, (a, b) in RATIO_FEATURES.items():
            if a in cols and b in cols:
                cols.append(name)
        return cols

    def fit(self, X: pd.DataFrame, y: Any = None) -> TabularEncoder:
        """Fit imputation, scaling and category lists on training rows."""
        num_cols = self._num_cols()
        self.column_transformer_ = ColumnTransformer(
            [
                (
                    "num",
                    Pipeline(
                        [("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())]
                    ),
                    num_cols,
                ),
                (
                    "cat",
                    Pipeline(
                        [
                            ("impute", SimpleImputer(strategy="most_frequent")),
                            ("onehot", OneHotEncoder(handle_unknown="ignore", sparse_output=False)),
                        ]
                    ),
                    list(self.categorical),
                ),
            ],
            sparse_threshold=0.0,
        )
        self.column_transformer_.fit(add_engineered(X))
        num = self.column_transformer_.named_transformers_["num"]
        self.num_cols_ = num_cols
        self.medians_ = np.asarray(num["impute"].statistics_, dtype=float)
        self.means_ = np.asarray(num["scale"].mean_, dtype=float)
        self.scales_ = np.asarray(num["scale"].scale_, dtype=float)
        cat = self.column_transformer_.named_transformers_.get("cat")
        self.categories_: list[list[str]] = []
        self.modes_: list[str] = []
        if self.categorical:
            self.categories_ = [list(map(str, c)) for c in cat["onehot"].categories_]
            self.modes_ = [str(v) for v in cat["impute"].statistics_]
        self.index_: list[dict[str, int]] = []
        offset = len(num_cols)
        for cats in self.categories_:
            self.index_.append({c: offset + i for i, c in enumerate(cats)})
            offset += len(cats)
        self.n_out_ = offset
        # Map every output column back to the raw feature it came from (for explanations).
        self.output_source_: list[str] = [self._source(c) for c in num_cols]
        for col, cats in zip(self.categorical, self.categories_, strict=True):
            self.output_source_ += [col] * len(cats)
        self.output_names_ = list(num_cols) + [
            f"{col}={c}"
            for col, cats in zip(self.categorical, self.categories_, strict=True)
            for c in cats
        ]
        return self

    def _source(self, col: str) -> str:
        return RATIO_FEATURES[col][0] if col in RATIO_FEATURES else col

    def transform(self, X: pd.DataFrame) -> np.ndarray:
        """Encode a DataFrame with the fitted ColumnTransformer (batch path)."""
        return np.asarray(self.column_transformer_.transform(add_engineered(X)), dtype=float)

    def transform_records(self, rows: Sequence[Mapping[str, Any]]) -> np.ndarray:
        """Encode dicts keyed by raw column names without pandas (scoring hot path).

        Missing or unparsable numbers take the training median; unknown categories encode as all
        zeros, exactly like the batch path.
        """
        out = np.zeros((len(rows), self.n_out_), dtype=float)
        raw = list(self.numeric)
        for r, row in enumerate(rows):
            vals: dict[str, float] = {}
            for col in raw:
                vals[col] = _to_float(row.get(col))
            for name, (a, b) in RATIO_FEATURES.items():
                if a in vals and b in vals:
                    den = vals[b]
                    vals[name] = vals[a] / den if den > 0 else float("nan")
            out[r, : len(self.num_cols_)] = [vals[c] for c in self.num_cols_]
            for col, idx, mode in zip(self.categorical, self.index_, self.modes_, strict=True):
                v = row.get(col)
                key = mode if v is None or (isinstance(v, float) and v != v) else str(v)
                j = idx.get(key)
                if j is not None:
                    out[r, j] = 1.0
        n = len(self.num_cols_)
        block = out[:, :n]
        nan = np.isnan(block)
        if nan.any():
            block[nan] = np.broadcast_to(self.medians_, block.shape)[nan]
        out[:, :n] = (block - self.means_) / self.scales_
        return out


def _to_float(v: Any) -> float:
    if v is None or isinstance(v, bool):
        return float("nan")
    try:
        return float(v)
    except (TypeError, ValueError):
        return float("nan")
