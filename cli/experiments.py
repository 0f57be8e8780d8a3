"""`loan-advisor experiments ...`: list, create from YAML, start, stop, archive, report."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from cli.groups import experiments_app
from core.clock import SystemClock
from core.config import get_settings
from core.errors import LoanAdvisorError
from experiments.store import ExperimentStore

console = Console()
Key = Annotated[str, typer.Argument(help="experiment key, e.g. prompt_style")]
Version = Annotated[int | None, typer.Option(help="version (default the newest)")]


def _store() -> ExperimentStore:
    from api.backends import build_experiments

    return build_experiments(get_settings(), SystemClock())


def _fail(exc: LoanAdvisorError) -> typer.Exit:
    field = f" ({exc.field})" if exc.field else ""
    console.print(f"[red]error{field}[/red]: {exc.message}")
    return typer.Exit(code=2 if exc.status in (404, 409, 422) else 1)


@experiments_app.command("list")
def list_cmd(archived: bool = typer.Option(False, help="include archived")) -> None:
    """List the newest version of every experiment."""
    table = Table("experiment", "surface", "status", "arms", "primary metric")
    for d in _store().latest(archived):
        arms = ", ".join(f"{a.name}:{a.weight:g}" for a in d.arms)
        table.add_row(d.experiment_id, d.surface, d.status, arms, d.primary_metric.name)
    console.print(table)


@experiments_app.command()
def create(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="definition YAML")],
) -> None:
    """Store a definition as a draft (a running version's arms cannot change)."""
    from experiments.catalogue import load_file

    try:
        d = _store().save(load_file(path))
    except LoanAdvisorError as exc:
        raise _fail(exc) from exc
    console.print(f"saved {d.experiment_id} ({d.status})")


def _transition(key: str, version: int | None, action: str) -> None:
    store = _store()
    try:
        chosen = version if version is not None else store.get(key).version
        d = store.transition(key, chosen, action)
    except LoanAdvisorError as exc:
        raise _fail(exc) from exc
    console.print(f"{d.experiment_id} is {d.status}")


@experiments_app.command()
def start(key: Key, version: Version = None) -> None:
    """Start a draft version (assignment and exposures begin)."""
    _transition(key, version, "start")


@experiments_app.command()
def stop(key: Key, version: Version = None) -> None:
    """Stop a running version (everyone sees control again)."""
    _transition(key, version, "stop")


@experiments_app.command()
def archive(key: Key, version: Version = None) -> None:
    """Archive a draft or stopped version."""
    _transition(key, version, "archive")


@experiments_app.command()
def report(
    key: Key,
    version: Version = None,
    html: Annotated[Path | None, typer.Option(help="write an HTML report with plots here")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the result as JSON")] = False,
) -> None:
    """Analyse an experiment: per-arm figures, intervals, SRM check and the decision."""
    from api.backends import build_repositories
    from experiments.analysis import analyse
    from experiments.outcomes import collect_outcomes

    store = _store()
    try:
        d = store.get(key, version)
    except LoanAdvisorError as exc:
        raise _fail(exc) from exc
    repos = build_repositories(get_settings(), SystemClock())

    @cache
    def owner_of(thread_id: str) -> str | None:
        thread = repos.threads.get(thread_id)
        return thread.owner if thread is not None else None

    exposures = store.exposures(d.experiment_id)
    outcomes = collect_outcomes(repos.events, owner_of)
    result = analyse(d, exposures, outcomes)
    if as_json:
        typer.echo(result.model_dump_json(indent=2))
    else:
        print_result(result)
    if html is not None:
        from experiments.report import plot_arms, plot_effect_over_time, write_html

        html.parent.mkdir(parents=True, exist_ok=True)
        plots = [plot_arms(result, html.with_suffix(".arms.png"))]
        if len(exposures) >= 4:
            plots.append(
                plot_effect_over_time(d, exposures, outcomes, html.with_suffix(".time.png"))
            )
        write_html(result, plots, html)
        console.print(f"report: {html}")
    repos.close()


analyse_cmd = experiments_app.command("analyse", help="Same as report.")(report)


def print_result(result: object) -> None:
    """Print an experiment result as tables (also used by `simulate`)."""
    from experiments.analysis import ExperimentResult

    assert isinstance(result, ExperimentResult)
    console.print(f"[bold]{result.experiment_id}[/bold] exposures {json.dumps(result.exposures)}")
    if result.srm_warning:
        console.print(f"[red]sample ratio mismatch: p={result.srm_p_value:.2g}[/red]")
    for m in result.metrics:
        table = Table(title=f"{m.metric} ({m.role})")
        for col in ("arm", "users", "mean [CI]", "difference [CI]", "p", "P(beat control)"):
            table.add_column(col)
        for a in m.arms:
            diff = (
                ""
                if a.difference is None
                else (f"{a.difference:+.4f} [{a.diff_ci_low:+.4f}, {a.diff_ci_high:+.4f}]")
            )
            table.add_row(
                a.arm,
                str(a.users),
                f"{a.mean:.4f} [{a.ci_low:.4f}, {a.ci_high:.4f}]",
                diff,
                "" if a.p_value is None else f"{a.p_value:.3g}",
                "" if a.chance_to_beat_control is None else f"{a.chance_to_beat_control:.1%}",
            )
        console.print(table)
    console.print(f"decision: [bold]{result.decision.verdict}[/bold] - {result.decision.reason}")


from cli import experiments_simulate as _simulate  # noqa: E402,F401 (registers `simulate`)
