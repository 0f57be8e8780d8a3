"""`loan-advisor ops kpis | check | alarms | topics`: what operators look at."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from cli.groups import ops_app
from cli.scoring import one_line_errors
from core.config import get_settings

if TYPE_CHECKING:
    from storage.repositories import Repositories

console = Console(stderr=True)
OPS_DIR = Path("var/ops")


def _open_repos() -> Repositories:
    from api.backends import build_repositories
    from core.clock import SystemClock

    return build_repositories(get_settings(), SystemClock())


@ops_app.command()
def kpis(
    days: int | None = typer.Option(None, "--days", min=1, help="window (default: everything)"),
    out: Annotated[Path, typer.Option("--out", help="PNG plot")] = OPS_DIR / "kpis.png",
    as_json: bool = typer.Option(False, "--json", help="print the report as JSON on stdout"),
) -> None:
    """Business KPIs from the store and the event log, as a table and a PNG plot."""
    from datetime import UTC, datetime, timedelta

    from storage.kpis import compute_kpis, load_records
    from storage.kpis_plot import save_kpi_plot

    repos = _open_repos()
    try:
        apps, events = load_records(repos)
    finally:
        repos.close()
    started = time.perf_counter()
    since = None if days is None else datetime.now(UTC) - timedelta(days=days)
    report = compute_kpis(apps, events, since)
    elapsed = time.perf_counter() - started
    save_kpi_plot(report, out)
    if as_json:
        print(report.model_dump_json())
        return
    table = Table(title=f"KPIs over {report.applications} applications, {len(events)} events")
    table.add_column("KPI")
    table.add_column("value", justify="right")
    for name, value in report.model_dump(exclude={"funnels", "feedback", "by_status",
                                                  "daily_submissions"}).items():  # fmt: skip
        table.add_row(name, "-" if value is None else str(value))
    for name, value in report.feedback.model_dump().items():
        table.add_row(f"feedback.{name}", "-" if value is None else str(value))
    console.print(table)
    for f in report.funnels:
        steps = "  ".join(
            f"{s.step} {s.sessions}" + ("" if s.drop_off is None else f" (-{s.drop_off:.0%})")
            for s in f.steps
        )
        console.print(f"[cyan]{f.channel} funnel[/cyan]: {steps}")
    console.print(f"computed in {elapsed * 1000:.1f} ms; plot: {out}")


@ops_app.command()
def alarms(as_json: bool = typer.Option(True, "--json/--table")) -> None:
    """Print the alarm rules (the infrastructure builds CloudWatch alarms from the same table)."""
    from core.alarms import as_dicts

    rules = as_dicts()
    if as_json:
        print(json.dumps(rules, indent=2))
        return
    table = Table(title="alarm rules")
    for col in ("name", "metric", "reduce", "threshold", "local"):
        table.add_column(col)
    for r in rules:
        table.add_row(r["name"], r["metric"], r["reduce"], str(r["threshold"]), str(r["local"]))
    console.print(table)


@ops_app.command()
def check(
    metrics_url: str = typer.Option(
        "http://127.0.0.1:8000/metrics", "--metrics-url", help="Prometheus endpoint to scrape"
    ),
    drift_dir: Annotated[
        Path | None,
        typer.Option("--drift", help="folder of a `scoring drift` report (default: settings)"),
    ] = None,
) -> None:
    """Evaluate the alarm rules against /metrics and the drift report; exit 1 if one fires.

    The drift report is the one the staff dashboard shows (`<var_dir>/ops/drift`) unless
    `--drift` names another folder; without a report the drift rule has no data.
    """
    import httpx
    from prometheus_client.parser import text_string_to_metric_families

    from core.alarms import Sample, evaluate_all
    from scoring.drift import load_drift_report, max_psi

    with one_line_errors():
        try:
            text = httpx.get(metrics_url, timeout=10).raise_for_status().text
        except httpx.HTTPError as exc:
            from core.errors import UpstreamUnavailable

            raise UpstreamUnavailable(f"cannot read {metrics_url}: {exc}") from None
    samples = [Sample(s.name, s.labels, s.value)
               for fam in text_string_to_metric_families(text) for s in fam.samples]  # fmt: skip
    extra: dict[str, float] = {}
    report = load_drift_report(drift_dir or get_settings().drift_dir)
    if report is not None:
        extra["drift_psi"] = max_psi(report)
    states = evaluate_all(samples, extra)
    table = Table(title=f"alarms on {metrics_url}")
    for col in ("rule", "value", "threshold", "state"):
        table.add_column(col)
    for s in states:
        value = "no data" if s.value is None else f"{s.value:.4g}"
        state = "[red]FIRING[/red]" if s.firing else "ok"
        table.add_row(s.rule, value, str(s.threshold), state)
    console.print(table)
    if any(s.firing for s in states):
        print("alarm firing: " + ", ".join(s.rule for s in states if s.firing), file=sys.stderr)
        raise typer.Exit(1)


@ops_app.command("topics")
def topics_cmd(
    limit: int = typer.Option(2000, "--limit", min=1, help="newest questions to cluster"),
    as_json: bool = typer.Option(False, "--json", help="print the topics as JSON on stdout"),
) -> None:
    """Cluster applicants' questions into topics and flag the FAQ / KB gaps."""
    from api.backends import build_knowledge_base
    from retrieval.query_analytics import QUESTION_EVENT, kb_confidence, topics

    settings = get_settings()
    repos = _open_repos()
    try:
        events = repos.events.recent(QUESTION_EVENT, limit=limit)
        events += repos.events.recent("feedback", limit=limit)
    finally:
        repos.close()
    kb = build_knowledge_base(settings)
    found = topics(events, kb.encoder, kb_confidence(kb.index))
    if as_json:
        print(json.dumps([t.model_dump() for t in found], indent=2))
        return
    table = Table(title=f"{len(found)} topics from {sum(t.count for t in found)} questions")
    for col in ("topic", "questions", "confidence", "thumbs-down", "gap", "example"):
        table.add_column(col)
    for t in found:
        table.add_row(t.label, str(t.count), str(t.mean_confidence), str(t.thumbs_down_share),
                      "[red]GAP[/red]" if t.gap else "", t.examples[0])  # fmt: skip
    console.print(table)
