"""A small suite run end to end against the real API on loopback, then reported and gated."""

from __future__ import annotations

import json

import pytest
import yaml

from cli.scoring import ensure_champion
from evals.compare import compare_runs
from evals.gate import GateConfig, verdict
from evals.session import RunRequest, execute

pytestmark = pytest.mark.integration

PROFILE = {
    "product": "car", "amount": 20000, "tenure_months": 48, "annual_income": 96000,
    "employment_status": "Employed", "years_employed": 8, "credit_score": 780,
    "savings_balance": 40000, "checking_balance": 5000, "home_ownership": "Own",
    "num_dependents": 0, "education_level": "Master's", "age": 41,
}  # fmt: skip
SUITE = {
    "suite": "smoke",
    "version": 1,
    "cases": [
        {
            "id": "apply-accept",
            "profile": PROFILE,
            "goal": "accept",
            "opening": "I want a car loan of $20,000 over 4 years",
            "expect": {
                "outcome": ["approved"],
                "tools_called": ["submit_application", "accept_offer"],
                "trajectory": {"mode": "superset", "tools": ["submit_application", "accept_offer"]},
            },
        },
        {
            "id": "policy",
            "goal": "script",
            "opening": "is there a prepayment penalty on a car loan?",
            "expect": {
                "citations": ["prepayment-and-foreclosure"],
                "tools_called": ["search_policy"],
            },
        },
        {
            # Made to fail: the report must show the failing check, not hide it.
            "id": "impossible",
            "goal": "script",
            "opening": "hello",
            "expect": {"must_include": ["a phrase no advisor says"]},
        },
    ],
}


def test_a_suite_runs_over_http_and_is_reported(tmp_path):
    datasets = tmp_path / "datasets"
    (datasets / "smoke").mkdir(parents=True)
    (datasets / "smoke" / "v1.yaml").write_text(yaml.safe_dump(SUITE))
    request = RunRequest(
        suites=["smoke"], datasets=datasets, out_root=tmp_path / "runs", concurrency=3,
        runtime_dir=tmp_path / "var", prepare=lambda var: ensure_champion(var, rows=2000),
    )  # fmt: skip
    run_dir = execute(request)

    report = json.loads((run_dir / "report.json").read_text())
    assert report["partial"] is False
    assert report["meta"]["suites"]["smoke"]["cases"] == 3
    assert report["versions"]["provider"] == "offline:advisor-v1"
    cases = {row["case"]: row for row in report["cases"]}
    assert cases["apply-accept"]["passed"], cases["apply-accept"]["checks"]
    assert cases["apply-accept"]["ended"] == "accepted"
    checks = {c["evaluator"]: c for c in cases["apply-accept"]["checks"]}
    assert {"payments", "offer_policy", "grounded", "profile_read"} <= checks.keys()
    assert cases["policy"]["passed"], cases["policy"]["checks"]
    assert not cases["impossible"]["passed"]
    assert report["summary"]["suites"]["smoke"]["passed"] == 2
    html = (run_dir / "report.html").read_text()
    assert "data:image/png;base64," in html and "a phrase no advisor says" in html
    assert (run_dir / "pass_by_suite.png").stat().st_size > 1000
    assert "| smoke | 2 | 3 |" in (run_dir / "report.md").read_text()

    # A resumed run skips the finished cases; the same run gates clean against itself.
    again = execute(RunRequest(**{**request.__dict__, "resume": run_dir.name}))
    assert again == run_dir
    assert len((run_dir / "results.jsonl").read_text().splitlines()) == 3
    assert verdict(compare_runs(run_dir, run_dir), GateConfig(zero_tolerance=["grounded"])) == []
