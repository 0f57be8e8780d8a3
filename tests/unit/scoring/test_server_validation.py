"""Input rules of the scoring server: bounds, types, categories, error reporting; body codecs."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.server.codecs import (
    CSV,
    JSON,
    JSONLINES,
    custom_attributes,
    explain_attribute,
    parse_request,
    response_type,
)
from scoring.server.validation import KNOWN_BOUNDS, MAX_REPORTED_ERRORS, BadRequest, FeatureSchema

SCHEMA = FeatureSchema(
    numeric=["annual_income", "credit_score", "odd_metric"],
    categories={"loan_purpose": {"car": "Car", "home": "Home"}},
    bounds={c: KNOWN_BOUNDS[c] for c in ("annual_income", "credit_score")},
)
GOOD = {"annual_income": 50_000, "credit_score": 700, "odd_metric": -3.5, "loan_purpose": "Car"}


def errors_of(rows: list[Any]) -> list[dict[str, Any]]:
    with pytest.raises(BadRequest) as info:
        SCHEMA.validate(rows)
    assert info.value.status == 400
    return [e.as_dict() for e in info.value.errors]


def test_clean_rows_are_floats_and_canonical_categories() -> None:
    row = {**GOOD, "annual_income": "50000.5", "credit_score": Decimal("700"),
           "loan_purpose": " home ", "extra": "ignored"}  # fmt: skip
    assert SCHEMA.validate([row]) == [
        {
            "annual_income": 50000.5,
            "credit_score": 700.0,
            "odd_metric": -3.5,
            "loan_purpose": "Home",
        }
    ]


def test_null_and_empty_mean_unknown() -> None:
    row = {"annual_income": 1.0, "credit_score": None, "odd_metric": "", "loan_purpose": None}
    assert SCHEMA.validate([row])[0] == {**row, "odd_metric": None}


@given(st.integers(min_value=300, max_value=850))
def test_credit_scores_in_range_pass(score: int) -> None:
    assert SCHEMA.validate([{**GOOD, "credit_score": score}])[0]["credit_score"] == score


@given(st.one_of(st.integers(max_value=299), st.integers(min_value=851)))
def test_credit_scores_out_of_range_fail(score: int) -> None:
    (err,) = errors_of([{**GOOD, "credit_score": score}])
    assert err["field"] == "credit_score" and err["row"] == 0 and str(score) in err["message"]


@pytest.mark.parametrize("income", [0, -0.01, -27034.47, 1e9])
def test_income_must_be_positive_and_plausible(income: float) -> None:
    (err,) = errors_of([GOOD, {**GOOD, "annual_income": income}])
    assert err["row"] == 1 and err["field"] == "annual_income"


@pytest.mark.parametrize(
    "value", ["inf", "-inf", "NaN", float("nan"), True, [1], {"a": 1}, "12abc"]
)
def test_non_finite_or_non_numeric_values_fail(value: Any) -> None:
    (err,) = errors_of([{**GOOD, "odd_metric": value}])
    assert err["field"] == "odd_metric" and "must be a number" in err["message"]


def test_unbounded_columns_accept_any_finite_number() -> None:
    assert SCHEMA.validate([{**GOOD, "odd_metric": -1e12}])[0]["odd_metric"] == -1e12


def test_every_problem_is_reported_up_to_a_cap() -> None:
    bad = {"annual_income": -1, "credit_score": 10, "loan_purpose": "Boat"}  # odd_metric missing
    errs = errors_of([bad])
    assert [e["field"] for e in errs] == ["annual_income", "credit_score", "odd_metric",
                                          "loan_purpose"]  # fmt: skip
    assert "expected one of: Car, Home" in errs[-1]["message"]
    assert len(errors_of([bad] * 50)) == MAX_REPORTED_ERRORS


def test_detail_leads_with_the_first_problem() -> None:
    with pytest.raises(BadRequest) as info:
        SCHEMA.validate([GOOD, GOOD, {**GOOD, "credit_score": 900}])
    assert info.value.detail == "row 2: credit_score 900 must be at most 850"


def test_json_shapes() -> None:
    feats = SCHEMA.features
    one = parse_request(b'{"a": 1, "explain": true}', "application/json; charset=utf-8", feats)
    assert one.rows == [{"a": 1}] and one.explain is True
    many = parse_request(b'[{"a": 1}, {"a": 2}]', JSON, feats)
    assert len(many.rows) == 2 and many.explain is None
    wrapped = parse_request(b'{"instances": [{"a": 1}], "explain": false}', JSON, feats)
    assert wrapped.rows == [{"a": 1}] and wrapped.explain is False
    sniffed = parse_request(b'  [{"a": 1}]', None, feats)
    assert sniffed.rows == [{"a": 1}]
    lines = parse_request(b'{"a": 1}\n\n{"a": 2}\n', JSONLINES, feats)
    assert lines.rows == [{"a": 1}, {"a": 2}]


def test_bad_json_lines_name_the_line() -> None:
    with pytest.raises(BadRequest) as info:
        parse_request(b'{"a": 1}\n{"a": \n', JSONLINES, SCHEMA.features)
    assert info.value.errors[0].row == 1 and info.value.detail.startswith("line 1: ")


def test_csv_header_detection_and_headerless_order() -> None:
    feats = SCHEMA.features
    with_header = b"credit_score,annual_income,odd_metric,loan_purpose\n700,5e4,1,Car\n"
    assert parse_request(with_header, CSV, feats).rows == [
        {"credit_score": "700", "annual_income": "5e4", "odd_metric": "1", "loan_purpose": "Car"}
    ]
    headless = b"\xef\xbb\xbf50000,700,1,Car\r\n\r\n60000,710,2,Home\r\n"  # BOM, CRLF, blank line
    rows = parse_request(headless, None, feats).rows
    assert [r["annual_income"] for r in rows] == ["50000", "60000"]
    assert rows[1]["loan_purpose"] == "Home"


def test_csv_problems() -> None:
    with pytest.raises(BadRequest) as info:
        parse_request(b"1,2,3,Car\n1,2,Car\n", CSV, SCHEMA.features)
    assert info.value.errors[0].row == 1 and "expected 4 CSV values, got 3" in info.value.detail
    with pytest.raises(BadRequest, match="not UTF-8"):
        parse_request(b"\xff\xfe1,2", CSV, SCHEMA.features)


def test_accept_negotiation() -> None:
    assert response_type(None) == JSON
    assert response_type("*/*") == JSON
    assert response_type("text/csv;q=0.9, application/json") == CSV
    assert response_type("image/png, text/*") == CSV
    assert response_type("application/jsonlines") == JSONLINES
    with pytest.raises(BadRequest) as info:
        response_type("application/xml")
    assert info.value.status == 406


def test_custom_attributes() -> None:
    attrs = custom_attributes("trace_id=abc; Explain=TRUE,junk")
    assert attrs == {"trace_id": "abc", "explain": "TRUE"}
    assert explain_attribute(attrs) is True
    assert explain_attribute(custom_attributes("explain=0")) is False
    assert explain_attribute(custom_attributes(None)) is None
    assert explain_attribute(custom_attributes("explain=maybe")) is None
