"""`loan-advisor eval ...`: run suites, list and validate them, compare runs, gate a change."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console

from cli.groups import eval_app

if TYPE_CHECKING:
    from collections.abc import Callable

    from langchain_core.language_models import BaseChatModel

    from api.routes.evals import EvalRuns
    from evals.runner import Judge, SimulatorFactory

console = Console()
DEFAULT_SUITES = ["happy_path", "understanding", "validation", "negotiation", "policy_qa",
                  "fairness", "adversarial"]  # fmt: skip
OUT = Path("var/evals")
OFFLINE_BASELINE = Path("evals/baselines/offline.json")


def _fail(message: str) -> NoReturn:
    console.print(f"[red]error[/red]: {message}")
    raise typer.Exit(2)


def _prepare(rows: int) -> Callable[[Path], object]:
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


def _chat_model(name: str) -> BaseChatModel:
    """Build the chat model `name` (provider:model) from the process settings."""
    from dataclasses import replace

    from agent.providers import make_chat_model
    from api.backends import provider_options
    from cli.settings import load_settings

    return make_chat_model(replace(provider_options(load_settings()), provider=name))


def _model_helpers(
    simulator: str, judge: bool, helper_model: str | None, provider: str
) -> tuple[SimulatorFactory, list[Judge]]:
    """Return the applicant and judges a run asked for; LLM ones need a real chat model."""
    from evals.simulator import Simulator

    if simulator not in ("deterministic", "llm"):
        _fail(f"unknown simulator {simulator!r}; choose from: deterministic, llm")
    if simulator == "deterministic" and not judge:
        return Simulator, []
    name = helper_model or provider
    if name.partition(":")[0] == "offline":
        _fail("--simulator llm and --judge need a real chat model: pass --helper-model "
              "provider:model (e.g. openai:my-model) or a non-offline --provider")  # fmt: skip
    from evals.evaluators.judge import LlmJudge
    from evals.llm_simulator import LlmSimulatorFactory

    model = _chat_model(name)
    factory: SimulatorFactory = Simulator
    if simulator == "llm":
        factory = LlmSimulatorFactory(model, label=f"llm:{name}")
    return factory, [LlmJudge(model)] if judge else []


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
    resume: Annotated[
        str | None, typer.Option(help="run id to finish (its own suites and choices)")
    ] = None,
    champion_rows: Annotated[int, typer.Option(help="rows to train a missing model on")] = 20_000,
    simulator: Annotated[
        str, typer.Option(help="applicant: deterministic, or llm (a chat model plays the persona)")
    ] = "deterministic",
    judge: Annotated[bool, typer.Option(help="add the LLM judge (tone, clarity)")] = False,
    helper_model: Annotated[
        str | None, typer.Option(help="provider:model for --simulator llm / --judge")
    ] = None,
    datasets: Annotated[Path | None, typer.Option(help="folder of suites")] = None,
    limit_per_suite: Annotated[
        int | None,
        typer.Option(min=1, help="only N cases per suite, spread evenly (a slow provider)"),
    ] = None,
) -> None:
    """Run conversation suites against the real API and write report.json / report.html."""
    from evals.report import build_report
    from evals.session import ChoiceError, RunRequest, check_choices, execute, resumed
    from evals.suites import DATASETS

    applicant, judges = _model_helpers(simulator, judge, helper_model, provider)
    request = RunRequest(
        suites=suite or DEFAULT_SUITES, provider=provider, variant=prompt_variant,
        repeats=repeats, concurrency=concurrency, out_root=out, resume=resume,
        prepare=_prepare(champion_rows), baseline=baseline,
        simulator=applicant, judges=judges, datasets=datasets or DATASETS,
        limit_per_suite=limit_per_suite,
    )  # fmt: skip
    try:
        check_choices(resumed(request) if resume else request)
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
    baseline: Annotated[
        Path, typer.Option(help="baseline file (evals/baselines/*.json) or run folder")
    ] = OFFLINE_BASELINE,
    candidate: Annotated[Path | None, typer.Option(help="candidate run (default: run now)")] = None,
    config: Annotated[Path | None, typer.Option(help="thresholds YAML")] = None,
    concurrency: Annotated[int, typer.Option(min=1, max=32)] = 4,
    out: Annotated[Path, typer.Option(help="folder for the candidate run")] = OUT,
) -> None:
    """Exit 1 when the candidate falls below a floor or regresses against the baseline."""
    from evals.compare import compare_runs
    from evals.gate import GATE_CONFIG, load_gate_config, verdict
    from evals.session import RunRequest, execute

    try:
        meta = _baseline_meta(baseline)
    except (FileNotFoundError, ValueError) as exc:
        _fail(str(exc))
    if candidate is None:
        candidate = execute(RunRequest(
            suites=meta["suites"], provider=meta["provider"], variant=meta["prompt_variant"],
            concurrency=concurrency, out_root=out, prepare=_prepare(20_000),
        ))  # fmt: skip
    problems = verdict(compare_runs(baseline, candidate), load_gate_config(config or GATE_CONFIG))
    for problem in problems:
        console.print(f"[red]regression[/red] {problem}", soft_wrap=True)
    if problems:
        raise typer.Exit(1)
    console.print(f"[green]gate passed[/green]: {candidate} vs {baseline}")


def _baseline_meta(baseline: Path) -> dict[str, Any]:
    """Return the suites, provider and prompt variant a baseline (file or run) was run with."""
    from evals.baseline import is_baseline_file, load_baseline
    from evals.compare import results_of

    if is_baseline_file(baseline):
        b = load_baseline(baseline)
        return {"suites": sorted(b.suites), "provider": b.provider,
                "prompt_variant": b.prompt_variant}  # fmt: skip
    results = results_of(baseline)
    meta = json.loads(
        ((baseline if baseline.is_dir() else baseline.parent) / "meta.json").read_text()
    )
    return {"suites": sorted({r.suite for r in results}),
            "provider": meta.get("provider", "offline:advisor-v1"),
            "prompt_variant": meta.get("prompt_variant")}  # fmt: skip


@eval_app.command("baseline")
def baseline_cmd(
    run: Annotated[Path, typer.Argument(help="a finished run folder (var/evals/<run_id>)")],
    out: Annotated[Path, typer.Option(help="baseline file to write")] = OFFLINE_BASELINE,
    floors: Annotated[
        bool, typer.Option(help="also raise gate.yaml floors to the run's rates (never lowers)")
    ] = True,
    config: Annotated[Path | None, typer.Option(help="thresholds YAML to update")] = None,
) -> None:
    """Rewrite the committed baseline from a run (what `make test`'s gate compares against)."""
    from evals.baseline import baseline_from_run, write_baseline
    from evals.baseline import floors as floors_of
    from evals.gate import GATE_CONFIG, raise_floors

    try:
        made = baseline_from_run(run)
    except (FileNotFoundError, ValueError) as exc:
        _fail(str(exc))
    write_baseline(made, out)
    passed = sum(c.passed for c in made.cases.values())
    console.print(f"wrote {out}: {passed}/{len(made.cases)} cases passed in run {made.run_id}")
    if floors:
        stored = raise_floors(floors_of(made), config or GATE_CONFIG)
        for name, floor in stored.items():
            rate = made.suites[name].rate if name in made.suites else None
            console.print(
                f"  floor {name:<14} {floor:.0%}"
                + (f"  (run {rate:.1%})" if rate is not None else "")
            )


@eval_app.command("report")
def report_cmd(
    run_id: Annotated[str, typer.Argument(help="run id under --out")],
    out: Annotated[Path, typer.Option(help="folder for runs")] = OUT,
) -> None:
    """Rebuild a run's reports from its results (after a run was killed mid-way)."""
    from evals.report import write_reports

    folder = out / run_id
    if not (folder / "meta.json").exists():
        _fail(f"no eval run {run_id!r} in {out}")
    report = write_reports(folder)
    _print_summary(report, folder)


def staff_eval_runs(out_root: Path) -> EvalRuns:
    """Return the eval job runner the staff API uses (runs land in `out_root`, like the CLI's)."""
    from evals.jobs import EvalJobs

    return EvalJobs(out_root, prepare=_prepare(20_000))
