from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from core.errors import ValidationFailed
from scoring.datasets import SEED_SPEC, DatasetSpec, is_protected, load_dataset, prepare
from scoring.generator import generate


def _csv(tmp_path: Path, frame: pd.DataFrame) -> Path:
    path = tmp_path / "d.csv"
    frame.to_csv(path, index=False)
    return path


def test_seed_preset_drops_leaky_protected_and_id_columns() -> None:
    ds = prepare(generate(200, seed=3), SEED_SPEC)
    for col in (
        "payment_history",
        "interest_rate",
        "monthly_payment",
        "customer_id",
        "age",
        "marital_status",
    ):
        assert col not in ds.X.columns
    assert ds.dropped["age"] == "protected attribute"
    assert set(ds.protected) == {"age", "marital_status"}
    assert "credit_score" in ds.numeric and "loan_purpose" in ds.categorical
    assert set(ds.y) == {0, 1}


def test_type_overrides_and_generic_spec(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {"zip": [101, 102, 101, 103] * 5, "x": range(20), "y": ["bad", "good"] * 10}
    )
    ds = load_dataset(_csv(tmp_path, frame), DatasetSpec("y", "bad", categorical=("zip",)))
    assert ds.categorical == ["zip"] and ds.numeric == ["x"]
    assert ds.y.sum() == 10 and len(ds.data_hash) == 64


@pytest.mark.parametrize(
    ("content", "spec", "message"),
    [
        (None, DatasetSpec("y", "bad"), "not found"),
        (b"\x00\x01\x02binary", DatasetSpec("y", "bad"), "not a CSV"),
        (
            b"a,y\n1,bad\n2,good\n",
            DatasetSpec("target", "bad"),
            "target column 'target' not in data",
        ),
        (b"a,y\n1,bad\n2,bad\n", DatasetSpec("y", "bad"), "only one class"),
        (
            b"a,y\n1,bad\n2,good\n",
            DatasetSpec("y", "Rejected"),
            "positive label 'Rejected' not found",
        ),
        (
            b"a,y\n1,bad\n2,good\n",
            DatasetSpec("y", "bad", drop=("nope",)),
            "column 'nope' not in data",
        ),
        (b"", DatasetSpec("y", "bad"), "empty"),
    ],
)
def test_bad_input_gives_one_line_naming_the_problem(
    tmp_path: Path, content: bytes | None, spec: DatasetSpec, message: str
) -> None:
    path = tmp_path / "in.csv"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ValidationFailed) as err:
        load_dataset(path, spec)
    assert message in err.value.message
    assert "\n" not in err.value.message


def test_protected_names() -> None:
    assert (
        is_protected("age")
        and is_protected("age_in_years")
        and is_protected("personal_status_and_sex")
    )
    assert (
        is_protected("marital_status")
        and not is_protected("page_views")
        and not is_protected("usage")
    )
