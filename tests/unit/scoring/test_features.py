from __future__ import annotations

import numpy as np

from scoring.datasets import Dataset
from scoring.features import TabularEncoder


def test_fast_record_path_equals_column_transformer(small_dataset: Dataset) -> None:
    enc = TabularEncoder(small_dataset.numeric, small_dataset.categorical).fit(small_dataset.X)
    rows = small_dataset.X.iloc[:40]
    np.testing.assert_allclose(
        enc.transform_records(rows.to_dict("records")), enc.transform(rows), atol=1e-9
    )


def test_missing_and_unknown_values_match_batch_imputation(small_dataset: Dataset) -> None:
    enc = TabularEncoder(small_dataset.numeric, small_dataset.categorical).fit(small_dataset.X)
    row = small_dataset.X.iloc[[0]].copy()
    row["credit_score"] = np.nan
    row["loan_purpose"] = "Spaceship"
    fast = enc.transform_records([{**row.iloc[0].to_dict(), "credit_score": None}])
    np.testing.assert_allclose(fast, enc.transform(row), atol=1e-9)
    assert len(enc.output_source_) == fast.shape[1]
    assert "loan_to_income" in enc.num_cols_
