"""The committed baseline the `make test` gate compares against: outcomes, not transcripts.

A run folder holds every transcript (megabytes); the gate needs only which cases and checks
passed. `evals/baselines/offline.json` keeps that, per case and per evaluator (first repeat),
with the suite versions it was measured on, so a review shows exactly which cases moved.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from evals.runner import load_results
from evals.transcript import CaseResult

BASELINES = Path(__file__).with_name("baselines")
OFFLINE_BASELINE = BASELINES / "offline.json"


class SuiteOutcome(BaseModel):
    """One suite's figures in the baseline run."""

    model_config = ConfigDict(extra="forbid")

    version: int | None = None
    sha256: str | None = None
    passed: int
    total: int
    rate: float


class CaseOutcome(BaseModel):
    """Whether a case passed, and each evaluator's verdict on it."""

    model_config = ConfigDict(extra="forbid")

    passed: bool
    checks: dict[str, bool] = Field(default_factory=dict)


class Baseline(BaseModel):
    """A run reduced to its outcomes (first repeat of every case)."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["loan-advisor-eval-baseline/1"] = "loan-advisor-eval-baseline/1"
    run_id: str
    created: str
    provider: str = "offline:advisor-v1"
    prompt_variant: str | None = None
    git_commit: str = "unknown"
    suites: dict[str, SuiteOutcome]
    cases: dict[str, CaseOutcome]

    def outcomes(self) -> dict[str, list[bool]]:
        """Return case outcomes shaped like `summary.case_outcomes` (one repeat)."""
        return {key: [c.passed] for key, c in self.cases.items()}

    def check_table(self) -> dict[tuple[str, str], bool]:
        """Return each (case, evaluator) verdict, shaped like `compare.check_table`."""
        return {(key, e): ok for key, c in self.cases.items() for e, ok in c.checks.items()}


def is_baseline_file(path: Path) -> bool:
    """Tell a baseline summary file from a run folder or a run's own files."""
    return path.is_file() and path.name not in ("results.jsonl", "report.json", "meta.json")


def baseline_from_results(results: list[CaseResult], meta: dict[str, object]) -> Baseline:
    """Reduce a run's results (and its meta.json) to a baseline."""
    first = sorted((r for r in results if r.repeat == 0), key=lambda r: (r.suite, r.case_id))
    cases = {
        f"{r.suite}/{r.case_id}": CaseOutcome(
            passed=r.passed, checks={c.evaluator: c.passed for c in r.checks}
        )
        for r in first
    }
    declared = meta.get("suites")
    versions = declared if isinstance(declared, dict) else {}
    suites = {}
    for name in sorted({r.suite for r in first}):
        rows = [r for r in first if r.suite == name]
        passed = sum(r.passed for r in rows)
        info = versions.get(name) or {}
        suites[name] = SuiteOutcome(
            version=info.get("version"),
            sha256=info.get("sha256"),
            passed=passed,
            total=len(rows),
            rate=round(passed / len(rows), 4),
        )
    return Baseline(
        run_id=str(meta.get("run_id", "unknown")),
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        provider=str(meta.get("provider") or "offline:advisor-v1"),
        prompt_variant=_str_or_none(meta.get("prompt_variant")),
        git_commit=str(meta.get("git_commit") or "unknown"),
        suites=suites,
        cases=cases,
    )


def _str_or_none(value: object) -> str | None:
    return None if value is None else str(value)


def baseline_from_run(run_dir: Path) -> Baseline:
    """Reduce the run in `run_dir` to a baseline; refuse a partial run."""
    meta_path = run_dir / "meta.json"
    if not meta_path.exists():
        raise FileNotFoundError(f"no eval run at {run_dir} (expected meta.json there)")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if not meta.get("complete"):
        raise ValueError(f"run {run_dir.name} is partial; finish it with --resume first")
    return baseline_from_results(load_results(run_dir / "results.jsonl"), meta)


def write_baseline(baseline: Baseline, path: Path = OFFLINE_BASELINE) -> Path:
    """Write the baseline with one case per line, so a diff shows the cases that moved."""
    path.parent.mkdir(parents=True, exist_ok=True)
    head = baseline.model_dump(mode="json", exclude={"cases"})
    lines = [json.dumps(head, indent=1)[:-2] + ',\n "cases": {']
    rows = [
        f"  {json.dumps(key)}: {json.dumps(c.model_dump(mode='json'), sort_keys=True)}"
        for key, c in sorted(baseline.cases.items())
    ]
    lines.append(",\n".join(rows))
    lines.append(" }\n}\n")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def load_baseline(path: Path) -> Baseline:
    """Read and validate a baseline file."""
    if not path.exists():
        raise FileNotFoundError(f"no eval baseline at {path}")
    return Baseline.model_validate_json(path.read_text(encoding="utf-8"))


def floors(baseline: Baseline) -> dict[str, float]:
    """Return each suite's floor: its baseline pass rate rounded down to a whole percent.

    Rounding down (never to the nearest) keeps the floor at or below what was measured, so
    the same code passes and one lost case in a suite of fewer than 100 cases fails.
    """
    return {name: math.floor(s.rate * 100 + 1e-9) / 100 for name, s in baseline.suites.items()}
