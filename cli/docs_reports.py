"""Render the generated reports under docs/reports/: the champion's card and the test report.

Unlike the references these depend on what was trained and measured on a machine (the model
registry, the latest eval run, benchmark output), so `loan-advisor docs reports` writes them
on demand and each page names its sources; the test suite checks their links, not their
figures.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from cli.docs_reference import GENERATED_NOTE

_PLOT = re.compile(r"plots/(?P<name>[\w.-]+\.png)")
TEST_AREAS = {"unit": "unit tests", "integration": "integration tests", "e2e": "browser tests"}


def champion_card(model_dir: Path, out_dir: Path) -> str:
    """Return the champion's generated card with its plots linked beside it (copied into out_dir).

    The registry writes `model_card.md` (metrics, CV, SHAP, fairness tables) beside `plots/`;
    the plot names in the text become links to the copies.
    """
    text = (model_dir / "model_card.md").read_text(encoding="utf-8")
    plots = out_dir / "model_card_plots"
    plots.mkdir(parents=True, exist_ok=True)
    for png in sorted((model_dir / "plots").glob("*.png")):
        shutil.copyfile(png, plots / png.name)
    linked = _PLOT.sub(
        lambda m: (
            f"[{m['name']}](model_card_plots/{m['name']})" if (plots / m["name"]).exists() else m[0]
        ),
        text,
    )
    gallery = [f"![{p.stem}](model_card_plots/{p.name})" for p in sorted(plots.glob("*.png"))]
    source = f"Source: the model registry's champion `{model_dir.name}`."
    return "\n".join(
        [GENERATED_NOTE, "", linked.rstrip(), "", "## Plots", "", *gallery, "", source, ""]
    )


def count_tests(tests_root: Path) -> dict[str, dict[str, int]]:
    """Count test functions per area (unit, integration, e2e) and package, from the sources."""
    counts: dict[str, dict[str, int]] = {}
    pattern = re.compile(r"^\s*(?:async\s+)?def test_", re.MULTILINE)
    for area in TEST_AREAS:
        for path in sorted((tests_root / area).rglob("test_*.py")):
            rel = path.relative_to(tests_root / area)
            group = rel.parts[0] if len(rel.parts) > 1 else path.stem.removeprefix("test_")
            n = len(pattern.findall(path.read_text(encoding="utf-8")))
            counts.setdefault(area, {}).setdefault(group, 0)
            counts[area][group] += n
    return counts


def _pct(rate: Any) -> str:
    return "—" if rate is None else f"{float(rate):.1%}"


def _eval_section(report: Mapping[str, Any] | None, run: str) -> list[str]:
    """Return the latest eval run's per-suite and per-evaluator pass rates."""
    if report is None:
        return ["No eval run was given (`loan-advisor docs reports --eval-run var/evals/RUN`).", ""]
    summary: Mapping[str, Any] = report.get("summary", report)
    overall = summary.get("overall", {})
    lines = [
        f"Run `{run}`: {overall.get('passed')}/{overall.get('total')} cases passed "
        f"({_pct(overall.get('rate'))}); median turns per case {summary.get('turns_median')}.",
        "",
        "| suite | passed | rate | 95% interval |",
        "|---|---|---|---|",
    ]
    for name, s in summary.get("suites", {}).items():
        low, high = (s.get("ci95") or [None, None])[:2]
        lines.append(
            f"| {name} | {s['passed']}/{s['total']} | {_pct(s.get('rate'))} "
            f"| {_pct(low)} – {_pct(high)} |"
        )
    lines += ["", "| evaluator | passed | rate |", "|---|---|---|"]
    for name, e in summary.get("evaluators", {}).items():
        lines.append(f"| {name} | {e['passed']}/{e['total']} | {_pct(e.get('rate'))} |")
    failures = summary.get("failures", [])
    if failures:
        lines += ["", f"Failing cases ({len(failures)}):", ""]
        for f in failures:
            lines.append(f"- `{f['case']}`: {'; '.join(f['failed'])[:300]}")
    return [*lines, ""]


def _bench_section(results: Iterable[Mapping[str, Any]]) -> list[str]:
    """Return one line per benchmark's closing JSON object."""
    rows = list(results)
    if not rows:
        return ["No benchmark output was given (`make bench | tee var/bench.jsonl`).", ""]
    lines = ["| benchmark | figures |", "|---|---|"]
    for row in rows:
        name = row.get("benchmark") or row.get("name") or "?"
        figures = ", ".join(f"{k}={v}" for k, v in row.items() if k not in ("benchmark", "name"))
        lines.append(f"| {name} | {figures[:400].replace('|', '/')} |")
    return [*lines, ""]


def bench_lines(path: Path | None) -> list[dict[str, Any]]:
    """Read the JSON lines benchmarks print last, skipping everything else in the output."""
    if path is None or not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("{") and line.endswith("}"):
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    return out


def render_test_report(
    tests_root: Path,
    suites: Mapping[str, tuple[int, int, str]],
    eval_report: Mapping[str, Any] | None,
    eval_run: str,
    benchmarks: Iterable[Mapping[str, Any]],
) -> str:
    """Render what each test area and eval suite covers, the latest results and benchmarks.

    `suites` maps a suite name to (version, cases, description).
    """
    lines = [GENERATED_NOTE, "", "# Test report", "", "## What the tests cover", ""]
    counts = count_tests(tests_root)
    for area, label in TEST_AREAS.items():
        groups = counts.get(area, {})
        lines += [f"### {label} (`tests/{area}`): {sum(groups.values())} test functions", ""]
        lines.append(", ".join(f"{g} {n}" for g, n in sorted(groups.items())) + ".")
        lines.append("")
    lines += ["## Conversation suites (evals)", "", "| suite | version | cases | covers |"]
    lines.append("|---|---|---|---|")
    for name, (version, cases, description) in sorted(suites.items()):
        lines.append(f"| {name} | v{version} | {cases} | {description.strip()} |")
    lines += ["", "## Latest eval results", "", *_eval_section(eval_report, eval_run)]
    lines += ["## Benchmarks", "", *_bench_section(benchmarks)]
    return "\n".join(lines)
