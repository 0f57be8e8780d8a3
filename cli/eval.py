"""`loan-advisor eval ...`: run suites, list and validate them, compare runs, gate a change."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from cli.groups import eval_app

console = Console()
DEFAULT_SUITES = ["happy_path", "understanding", "validation", "negotiation", "policy_qa",
                  "fairness", "adversarial"]  # fmt: skip
OUT = Path("var/evals")


def _fail(message: str) -> None:
    console.print(f"[red]error[/red]: {message}")
    raise typer.Exit(2)


def _prepare(rows: int) -> object:
    from cli.scoring import ensure_champion

    return lambda var_dir: ensure_champion(var_dir, rows=rows)


def _print_summary(report: dict[str, object], run_dir: Path) -> None:
    summary = report["summary"]
    assert isinstance(summary, dict)
    for name, s in summary["suites"].items():
        console.print(f"  {name:<14} {s['passed']:>4}/{s['total']:<4} {(s['rate'] or 0):.1%}")
    o = summary["overall"]
    console.print(
        f"  [bold]{'overall':<14} {o['passed']:>4}/{o['total']:<4} {(o['rate'] or 0):.1%}"
    )
    console.print(f"report: {run_dir / 'report.html'}")


@eval_app.command("run")
def run_cmd(
    suite: Annotated[
        list[str] | None, typer.Option("--suite", "-s", help="suite (repeatable)")
    ] = None,
    provider: Annotated[
        str, typer.Option(help="chat model as provider:model")
    ] = "offline:advisor-v1",
    prompt_variant: Annotated[
        str | None, typer.Option(help="A/B prompt arm (default: as assigned)")
    ] = None,
    repeats: Annotated[int, typer.Option(min=1, max=20, help="runs per case (pass^k)")] = 1,
    concurrency: Annotated[int, typer.Option(min=1, max=32, help="cases at once")] = 4,
    out: Annotated[Path, typer.Option(help="folder for runs")] = OUT,
    baseline: Annotated[Path | None, typer.Option(help="run folder to diff against")] = None,
    resume: Annotated[str | None, typer.Option(help="run id to finish")] = None,
    champion_rows: Annotated[int, typer.Option(help="rows to train a missing model on")] = 20_000,
) -> None:
    """Run conversation suites against the real API and write report.json / report.html."""
    from evals.report import build_report
    from evals.session import ChoiceError, RunRequest, check_choices, execute

    request = RunRequest(
        suites=suite or DEFAULT_SUITES, provider=provider, variant=prompt_variant,
        repeats=repeats, concurrency=concurrency, out_root=out, resume=resume,
        prepare=_prepare(champion_rows), baseline=baseline,  # type: ignore[arg-type]
    )  # fmt: skip
    try:
        check_choices(request)
    except ChoiceError as exc:
        _fail(str(exc))
    run_dir = execute(request)
    _print_summary(build_report(run_dir, baseline), run_dir)


@eval_app.command("list")
def list_cmd() -> None:
    """List suites (with versions and case counts) and past runs."""
    from evals.suites import available, load

    for name, versions in available().items():
        console.print(f"{name:<14} v{versions[-1]}  {len(load(name).cases)} cases")
    if OUT.exists():
        for run in sorted(p for p in OUT.iterdir() if (p / "meta.json").exists()):
            console.print(f"run {run.name}")


@eval_app.command("validate")
def validate_cmd(
    files: Annotated[list[Path] | None, typer.Argument(help="suite files")] = None,
) -> None:
    """Validate suite files (default: every suite's latest version)."""
    from evals.suites import SuiteError, available, load_file, suite_path

    paths = files or [suite_path(n) for n in available()]
    bad = 0
    for path in paths:
        try:
            suite = load_file(path)
            console.print(f"[green]ok[/green] {path}: {len(suite.cases)} cases")
        except SuiteError as exc:
            bad += 1
            console.print(f"[red]invalid[/red] {exc}")
    if bad:
        raise typer.Exit(1)


@eval_app.command("generate")
def generate_cmd() -> None:
    """Expand the persona templates into the versioned suite files."""
    from evals.generator import generate_all

    for path, count in generate_all():
        console.print(f"wrote {path} ({count} cases)")


@eval_app.command("compare")
def compare_cmd(run_a: Path, run_b: Path) -> None:
    """Compare run B against run A: flipped cases, McNemar p, bootstrap intervals."""
    from evals.compare import compare_runs

    try:
        result = compare_runs(run_a, run_b)
    except FileNotFoundError as exc:
        _fail(str(exc))
    o = result["overall"]
    console.print(f"overall {o['before']} -> {o['after']}  McNemar p={o['mcnemar_p']}  "
                  f"diff 95% CI {o['diff_ci95']}")  # fmt: skip
    for name, s in result["suites"].items():
        console.print(f"  {name:<14} {s['before']} -> {s['after']}  p={s['mcnemar_p']}")
    console.print(f"[green]fixed[/green] ({len(result['fixed'])}): {', '.join(result['fixed'])}")
    console.print(f"[red]broke[/red] ({len(result['broke'])}): {', '.join(result['broke'])}")


@eval_app.command("gate")
def gate_cmd(
    baseline: Annotated[Path, typer.Option(help="baseline run folder")],
    candidate: Annotated[Path | None, typer.Option(help="candidate run (default: run now)")] = None,
    config: Annotated[Path | None, typer.Option(help="thresholds YAML")] = None,
    concurrency: Annotated[int, typer.Option(min=1, max=32)] = 4,
) -> None:
    """Exit 1 when the candidate regresses beyond the thresholds in evals/gate.yaml."""
    from evals.compare import compare_runs, results_of
    from evals.gate import GATE_CONFIG, load_gate_config, verdict
    from evals.session import RunRequest, execute

    try:
        before = results_of(baseline)
    except FileNotFoundError as exc:
        _fail(str(exc))
    if candidate is None:
        meta = json.loads(
            ((baseline if baseline.is_dir() else baseline.parent) / "meta.json").read_text()
        )
        suites = sorted({r.suite for r in before})
        candidate = execute(RunRequest(
            suites=suites, provider=meta.get("provider", "offline:advisor-v1"),
            variant=meta.get("prompt_variant"), concurrency=concurrency,
            prepare=_prepare(20_000), baseline=baseline,  # type: ignore[arg-type]
        ))  # fmt: skip
    problems = verdict(compare_runs(baseline, candidate), load_gate_config(config or GATE_CONFIG))
    for problem in problems:
        console.print(f"[red]regression[/red] {problem}")
    if problems:
        raise typer.Exit(1)
    console.print(f"[green]gate passed[/green]: {candidate} vs {baseline}")
