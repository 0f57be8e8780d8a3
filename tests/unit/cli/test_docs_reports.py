"""The generated reports: the champion's card with its plots, and the test report."""

from __future__ import annotations

from pathlib import Path

from cli.docs_reports import bench_lines, champion_card, count_tests, render_test_report


def test_the_champion_card_links_its_copied_plots(tmp_path: Path) -> None:
    model = tmp_path / "models" / "m1"
    (model / "plots").mkdir(parents=True)
    (model / "plots" / "roc.png").write_bytes(b"\x89PNG fake")
    card = "# Model card — m1\nPlots: plots/roc.png, plots/gone.png\n"
    (model / "model_card.md").write_text(card)
    out = tmp_path / "reports"
    text = champion_card(model, out)
    assert "[roc.png](model_card_plots/roc.png)" in text
    assert "plots/gone.png" in text and "[gone.png]" not in text
    assert (out / "model_card_plots" / "roc.png").read_bytes() == b"\x89PNG fake"
    assert "champion `m1`" in text


def test_tests_are_counted_per_area_and_package(tmp_path: Path) -> None:
    (tmp_path / "unit" / "lending").mkdir(parents=True)
    (tmp_path / "unit" / "lending" / "test_a.py").write_text(
        "def test_x():\n    pass\n\nasync def test_y():\n    pass\n\ndef helper():\n    pass\n"
    )
    (tmp_path / "integration").mkdir()
    (tmp_path / "integration" / "test_chat.py").write_text("def test_z():\n    pass\n")
    assert count_tests(tmp_path) == {"unit": {"lending": 2}, "integration": {"chat": 1}}


def test_the_report_shows_suites_results_failures_and_benchmarks(tmp_path: Path) -> None:
    summary = {
        "overall": {"passed": 3, "total": 4, "rate": 0.75},
        "turns_median": 5,
        "suites": {"happy": {"passed": 3, "total": 4, "rate": 0.75, "ci95": [0.3, 0.95]}},
        "evaluators": {"payments": {"passed": 4, "total": 4, "rate": 1.0}},
        "failures": [{"case": "happy/c4", "failed": ["decision: wanted approved, got declined"]}],
    }
    text = render_test_report(
        tmp_path,
        {"happy": (1, 4, "approvals by tier")},
        {"summary": summary},
        "run-1",
        [{"benchmark": "agent", "p50_ms": 4.2}],
    )
    assert "| happy | v1 | 4 | approvals by tier |" in text
    assert "Run `run-1`: 3/4 cases passed (75.0%)" in text
    assert "| happy | 3/4 | 75.0% | 30.0% – 95.0% |" in text
    assert "- `happy/c4`: decision: wanted approved, got declined" in text
    assert "| agent | p50_ms=4.2 |" in text


def test_bench_lines_keeps_only_json_objects(tmp_path: Path) -> None:
    out = tmp_path / "bench.txt"
    out.write_text('== benchmarks/bench_a.py\nwarming up\n{"benchmark": "a", "x": 1}\n{broken}\n')
    assert bench_lines(out) == [{"benchmark": "a", "x": 1}]
    assert bench_lines(None) == []
