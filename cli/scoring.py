"""`loan-advisor scoring ...`: generate data, EDA, cross-validate, train, list, score.

Every command turns a bad input into one line on stderr naming the problem (exit code 2) and
writes nothing to the registry on failure.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from cli.groups import scoring_app
from core.config import get_settings
from core.errors import LoanAdvisorError, ValidationFailed

console = Console(stderr=True)
GENERATED_CSV = Path("var/data/generated.csv")
EDA_DIR = Path("var/eda")

VarDirOpt = Annotated[
    Path | None, typer.Option("--var-dir", help="registry root (default: settings)")
]
DataOpt = typer.Option(..., "--data", help="CSV file")
TargetOpt = typer.Option(
    None, "--target", help="label column (default: seed schema's approval_status)"
)
PositiveOpt = typer.Option(None, "--positive", help="label value meaning default / bad risk")
DropOpt = typer.Option([], "--drop", help="column to leave out (repeatable)")
NumericOpt = typer.Option([], "--numeric", help="force a column numeric (repeatable)")
CategoricalOpt = typer.Option([], "--categorical", help="force a column categorical (repeatable)")
ProtectedOpt = typer.Option(False, "--include-protected", help="use protected attributes as inputs")
SelectOpt = typer.Option(
    False, "--select", help="drop low-MI / highly correlated features per fold"
)


@contextmanager
def one_line_errors() -> Iterator[None]:
    """Print our typed errors as a single line and exit 2 (no traceback for bad input)."""
    try:
        yield
    except LoanAdvisorError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        raise typer.Exit(2) from None


def _spec(data: Path, target: str | None, positive: str | None, drop: list[str], numeric: list[str],
          categorical: list[str], include_protected: bool) -> Any:  # fmt: skip
    from scoring.datasets import SEED_SPEC, DatasetSpec

    if target is None and positive is None:
        if drop or numeric or categorical or include_protected:
            raise ValidationFailed(
                "--target and --positive are required with column options", field="target"
            )
        return SEED_SPEC
    if target is None or positive is None:
        raise ValidationFailed("give both --target and --positive", field="target")
    return DatasetSpec(
        target, positive, tuple(drop), tuple(numeric), tuple(categorical), include_protected
    )


def _families(value: str) -> tuple[str, ...]:
    from scoring.estimators import FAMILIES

    fams = tuple(f.strip() for f in value.split(",") if f.strip())
    bad = [f for f in fams if f not in FAMILIES]
    if bad or not fams:
        raise ValidationFailed(
            f"unknown model family {', '.join(bad) or value!r} (choose from {', '.join(FAMILIES)})",
                               field="families")  # fmt: skip
    if "nn" in fams and importlib.util.find_spec("tensorflow") is None:
        raise ValidationFailed(
            "the nn family trains with TensorFlow, which is not installed: pip install -e"
            " '.[nn]', or leave it out (--families lr,rf,xgb)", field="families")  # fmt: skip
    return fams


@scoring_app.command()
def generate(
    rows: int = typer.Option(20_000, "--rows", min=10, help="number of applicants"),
    seed: int = typer.Option(42, "--seed"),
    out: Annotated[Path, typer.Option("--out", help="CSV to write")] = GENERATED_CSV,
) -> None:
    """Write synthetic applicants with the seed schema and a noisy default process."""
    from scoring.generator import write

    path = write(rows, seed, out)
    console.print(f"[green]wrote[/green] {rows} rows to {path}")


@scoring_app.command()
def eda(
    data: Path = DataOpt,
    target: str | None = TargetOpt,
    positive: str | None = PositiveOpt,
    drop: list[str] = DropOpt,
    numeric: list[str] = NumericOpt,
    categorical: list[str] = CategoricalOpt,
    out: Annotated[Path, typer.Option("--out", help="report folder")] = EDA_DIR,
) -> None:
    """Write an HTML EDA report with plots and a JSON summary (leakage, rules, MI...)."""
    with one_line_errors():
        from scoring.datasets import load_dataset
        from scoring.eda import run_eda

        ds = load_dataset(data, _spec(data, target, positive, drop, numeric, categorical, False))
        summary = run_eda(ds, out)
    for w in summary["warnings"]:
        console.print(f"[yellow]warning[/yellow]: {w}")
    console.print(f"[green]report[/green]: {out / 'report.html'}  summary: {out / 'summary.json'}")


@scoring_app.command()
def cv(
    data: Path = DataOpt,
    target: str | None = TargetOpt,
    positive: str | None = PositiveOpt,
    drop: list[str] = DropOpt,
    numeric: list[str] = NumericOpt,
    categorical: list[str] = CategoricalOpt,
    include_protected: bool = ProtectedOpt,
    folds: int = typer.Option(5, "--folds", min=2, max=20),
    seed: int = typer.Option(42, "--seed"),
    families: str = typer.Option(
        "lr,rf,xgb,nn", "--families", help="comma-separated: lr,rf,xgb,nn"
    ),
    as_json: bool = typer.Option(False, "--json", help="print one JSON object on stdout"),
    select: bool = SelectOpt,
) -> None:
    """Cross-validate every family (grid search, same folds) and ensembles; report the selection."""
    with one_line_errors():
        from scoring.cv import run_cv
        from scoring.datasets import load_dataset

        spec = _spec(data, target, positive, drop, numeric, categorical, include_protected)
        fams = _families(families)
        ds = load_dataset(data, spec)
        _check_folds(ds.y, folds)
        result = run_cv(
            ds.X,
            ds.y,
            ds.numeric,
            ds.categorical,
            folds=folds,
            seed=seed,
            families=fams,
            select=select,
        )
    summary = {
        "data": str(data),
        "data_hash": ds.data_hash,
        "features": ds.features,
        **result.summary(),
    }
    if as_json:
        print(json.dumps(summary))
        return
    for name, m in summary["models"].items():
        console.print(
            f"{name:60s} ROC-AUC {m['roc_auc_mean']:.4f} ± {m['roc_auc_sd']:.4f}  "
            f"Brier {m['brier_mean']:.4f}"
        )
    console.print(
        f"[green]selected[/green]: {summary['selected']} ({summary['selected_roc_auc_mean']})"
    )


def _check_folds(y: Any, folds: int) -> None:
    import numpy as np

    minority = int(min(np.sum(y == 1), np.sum(y == 0)))
    if minority < folds:
        raise ValidationFailed(
            f"the rarer class has {minority} rows, fewer than --folds {folds}", field="folds"
        )


@scoring_app.command()
def train(
    data: Path = DataOpt,
    target: str | None = TargetOpt,
    positive: str | None = PositiveOpt,
    drop: list[str] = DropOpt,
    numeric: list[str] = NumericOpt,
    categorical: list[str] = CategoricalOpt,
    include_protected: bool = ProtectedOpt,
    folds: int = typer.Option(5, "--folds", min=2, max=20),
    seed: int = typer.Option(42, "--seed"),
    families: str = typer.Option("lr,rf,xgb,nn", "--families"),
    fast: bool = typer.Option(False, "--fast", help="one grid point per family (bootstrap speed)"),
    cost_ratio: float = typer.Option(
        5.0, "--cost-ratio", min=0.01, help="cost(missed default) / cost(declined good)"
    ),
    champion: bool = typer.Option(
        False,
        "--champion/--no-champion",
        help="make the new model champion without the gate (default: register only; use"
        " `scoring retrain` for a gated promotion)",
    ),
    var_dir: VarDirOpt = None,
    select: bool = SelectOpt,
) -> None:
    """Train the selected model on the training split, test it, and register it."""
    with one_line_errors():
        model_id, metrics = train_and_register(
            data, _spec(data, target, positive, drop, numeric, categorical, include_protected),
            var_dir or get_settings().var_dir, folds=folds, seed=seed, families=_families(families),
            fast=fast, cost_ratio=cost_ratio, champion=champion, select=select,
        )  # fmt: skip
    console.print(
        f"[green]registered[/green] {model_id}{' (champion)' if champion else ''}: "
        f"{json.dumps(metrics)}"
    )


def train_and_register(
    data: Path, spec: Any, var_dir: Path, *, folds: int = 5, seed: int = 42,
    families: tuple[str, ...] = ("lr", "rf", "xgb", "nn"), fast: bool = False,
    cost_ratio: float = 5.0,
    champion: bool = True, progress: bool = True, select: bool = False,
) -> tuple[str, dict[str, float]]:  # fmt: skip
    """Load, validate, train and register; shared by `train` and `prepare`."""
    from scoring.datasets import load_dataset
    from scoring.estimators import FAST_GRIDS
    from scoring.registry import register
    from scoring.training import TrainConfig
    from scoring.training import train as run_train

    ds = load_dataset(data, spec)
    _check_folds(ds.y, folds)
    cfg = TrainConfig(folds=folds, seed=seed, families=families, grids=FAST_GRIDS if fast else None,
                      cost_ratio=cost_ratio, progress=progress, select=select)  # fmt: skip
    outcome = run_train(ds, cfg)
    return register(outcome, ds, var_dir, make_champion=champion), outcome.metrics


@scoring_app.command("list")
def list_cmd(var_dir: VarDirOpt = None) -> None:
    """List registered models (newest first); * marks the champion."""
    from scoring.registry import champion_id, list_models

    root = var_dir or get_settings().var_dir
    champ = champion_id(root)
    for m in list_models(root):
        mark = "*" if m["model_id"] == champ else " "
        print(
            f"{mark} {m['model_id']}  {m['cv']['selected']}  test ROC-AUC {m['metrics']['roc_auc']}"
        )


@scoring_app.command("set-champion")
def set_champion_cmd(model_id: str, var_dir: VarDirOpt = None) -> None:
    """Make a registered model the champion."""
    from scoring.registry import set_champion

    with one_line_errors():
        set_champion(var_dir or get_settings().var_dir, model_id)
    console.print(f"[green]champion[/green]: {model_id}")


@scoring_app.command()
def score(
    features: str = typer.Argument(
        ..., help="JSON object (or list) of feature values, or @file.json"
    ),
    explain: bool = typer.Option(True, "--explain/--no-explain"),
    var_dir: VarDirOpt = None,
) -> None:
    """Score applicants with the champion and print the results as JSON."""
    with one_line_errors():
        from scoring.registry import load_champion

        text = Path(features[1:]).read_text() if features.startswith("@") else features
        try:
            payload = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValidationFailed(
                f"features are not valid JSON ({exc.msg})", field="features"
            ) from None
        rows = payload if isinstance(payload, list) else [payload]
        results = load_champion(var_dir or get_settings().var_dir).score(rows, explain=explain)
    print(json.dumps([r.model_dump() for r in results], indent=2))


def ensure_champion(var_dir: Path, rows: int = 20_000, seed: int = 42) -> str | None:
    """Train and register a bootstrap champion when the registry has none (used by `prepare`).

    Data comes from the generator (the seed file's label is a deterministic rule, useless to
    learn); the fast LR + XGBoost ensemble keeps this under a minute on 2 cores.
    Returns the new model id, or None when a champion already exists.
    """
    from scoring.datasets import SEED_SPEC
    from scoring.generator import write
    from scoring.registry import champion_id

    if champion_id(var_dir) is not None:
        return None
    console.print(f"[cyan]scoring[/cyan]: no champion model; training one on {rows} generated rows")
    data = write(rows, seed, var_dir / "data" / f"generated_{rows}_{seed}.csv")
    model_id, metrics = train_and_register(
        data, SEED_SPEC, var_dir, seed=seed, families=("lr", "xgb"), fast=True
    )
    console.print(f"[green]champion[/green] {model_id}: test ROC-AUC {metrics['roc_auc']}")
    return model_id
