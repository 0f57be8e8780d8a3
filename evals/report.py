"""Write a run's report: report.json, report.md and a self-contained report.html."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from evals.plots import charts
from evals.runner import load_results
from evals.summary import summarise
from evals.transcript import CaseResult

_ENV = Environment(
    loader=PackageLoader("evals", "templates"), autoescape=select_autoescape(["html"])
)


def build_report(run_dir: Path, baseline: Path | None = None) -> dict[str, Any]:
    """Return the report data of the run in `run_dir` (partial runs included)."""
    from evals.compare import compare_runs

    meta = (
        json.loads((run_dir / "meta.json").read_text()) if (run_dir / "meta.json").exists() else {}
    )
    results = load_results(run_dir / "results.jsonl")
    versions: dict[str, Any] = {}
    for r in results:
        for turn in r.transcript.turns:
            if turn.versions:
                versions = turn.versions
                break
        if versions:
            break
    report = {
        "meta": meta,
        "versions": versions,
        "partial": not meta.get("complete", False),
        "summary": summarise(results),
        "cases": [
            _case_row(r) for r in sorted(results, key=lambda r: (r.suite, r.case_id, r.repeat))
        ],
    }
    if baseline is not None:
        report["baseline"] = compare_runs(baseline, run_dir)
    return report


def _case_row(r: CaseResult) -> dict[str, Any]:
    return {
        "suite": r.suite,
        "case": r.case_id,
        "repeat": r.repeat,
        "tags": r.tags,
        "passed": r.passed,
        "turns": len(r.transcript.turns),
        "ended": r.transcript.ended,
        "seconds": r.seconds,
        "checks": [c.model_dump() for c in r.checks],
    }


def write_json_report(run_dir: Path, baseline: Path | None = None) -> dict[str, Any]:
    """Write report.json alone (cheap: a running run rewrites it every few seconds)."""
    report = build_report(run_dir, baseline)
    partial = run_dir / "report.json.tmp"
    partial.write_text(json.dumps(report, indent=2, default=str))
    partial.replace(run_dir / "report.json")  # readers never see a half-written file
    return report


def render_html(run_dir: Path, report: dict[str, Any], images: dict[str, bytes]) -> str:
    """Render the self-contained report.html of a run (charts inlined as PNG data URLs)."""
    inline = {n: base64.b64encode(b).decode() for n, b in images.items()}
    results = {
        f"{r.suite}/{r.case_id}#{r.repeat}": r for r in load_results(run_dir / "results.jsonl")
    }
    return _ENV.get_template("report.html").render(report=report, images=inline, results=results)


def report_charts(report: dict[str, Any]) -> dict[str, bytes]:
    """Return the report's PNG charts by file name (none for a run with no cases yet)."""
    return charts(report["summary"]) if report["cases"] else {}


def write_reports(run_dir: Path, baseline: Path | None = None) -> dict[str, Any]:
    """Write report.json, report.md, report.html and the PNG charts; return the report."""
    report = write_json_report(run_dir, baseline)
    images = report_charts(report)
    for name, png in images.items():
        (run_dir / name).write_bytes(png)
    (run_dir / "report.html").write_text(render_html(run_dir, report, images), encoding="utf-8")
    (run_dir / "report.md").write_text(
        _ENV.get_template("report.md").render(report=report), encoding="utf-8"
    )
    return report
