"""`loan-advisor scoring retrain | rollback | drift`: gated promotion and model monitoring."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from cli.groups import scoring_app
from cli.scoring import (
    CategoricalOpt,
    DataOpt,
    DropOpt,
    NumericOpt,
    PositiveOpt,
    ProtectedOpt,
    SelectOpt,
    TargetOpt,
    VarDirOpt,
    _check_folds,
    _families,
    _spec,
    console,
    one_line_errors,
)
from core.config import drift_dir_for, get_settings
from core.errors import NotFound, ValidationFailed


@scoring_app.command()
def retrain(
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
    fast: bool = typer.Option(False, "--fast", help="one grid point per family"),
    auc_margin: float = typer.Option(0.005, "--auc-margin", min=0, help="ROC-AUC may drop by"),
    brier_margin: float = typer.Option(0.005, "--brier-margin", min=0, help="Brier may rise by"),
    force: bool = typer.Option(False, "--force", help="promote even if the gate fails"),
    var_dir: VarDirOpt = None,
    select: bool = SelectOpt,
) -> None:
    """Train a challenger, judge it against the champion on the same holdout, promote if it passes.

    Exit code 0 when promoted, 1 when the gate refused it (the challenger stays registered).
    """
    from scoring.datasets import load_dataset
    from scoring.estimators import FAST_GRIDS
    from scoring.retrain import GateConfig
    from scoring.retrain import retrain as run_retrain
    from scoring.training import TrainConfig

    with one_line_errors():
        spec = _spec(data, target, positive, drop, numeric, categorical, include_protected)
        ds = load_dataset(data, spec)
        _check_folds(ds.y, folds)
        cfg = TrainConfig(folds=folds, seed=seed, families=_families(families),
                          grids=FAST_GRIDS if fast else None, select=select)  # fmt: skip
        started = time.perf_counter()
        mid, gate, promoted = run_retrain(
            ds, var_dir or get_settings().var_dir, cfg,
            GateConfig(auc_margin=auc_margin, brier_margin=brier_margin), force=force,
        )  # fmt: skip
    table = Table(title=f"challenger {mid} vs champion (same {len(ds.y)}-row file's holdout)")
    for col in ("model", "ROC-AUC", "Brier", "calib. error", "approval ratios"):
        table.add_column(col)
    for label, ev in (("challenger", gate.challenger), ("champion", gate.champion)):
        if ev is not None:
            table.add_row(f"{label} {ev.model_id}", str(ev.roc_auc), str(ev.brier), str(ev.ece),
                          json.dumps(ev.approval_ratios))  # fmt: skip
    console.print(table)
    for reason in gate.reasons:
        console.print(f"[yellow]gate[/yellow]: {reason}")
    verdict = "[green]promoted[/green]" if promoted else "[red]not promoted[/red]"
    console.print(f"{verdict} {mid} in {time.perf_counter() - started:.1f} s")
    if not promoted:
        raise typer.Exit(1)


@scoring_app.command()
def rollback(var_dir: VarDirOpt = None) -> None:
    """Restore the champion that the last gated promotion replaced."""
    from scoring.retrain import rollback as run_rollback

    with one_line_errors():
        restored = run_rollback(var_dir or get_settings().var_dir)
    console.print(f"[green]champion[/green]: {restored}")


def _recent_from_store(limit: int) -> list[dict[str, Any]]:
    """Feature rows of stored applications (what the model actually scored)."""
    from api.backends import build_repositories
    from core.clock import SystemClock
    from lending.schemas import ApplicantProfile, LoanRequest
    from storage.kpis import load_records
    from tools.features import to_features

    repos = build_repositories(get_settings(), SystemClock())
    try:
        apps, _ = load_records(repos, limit)
    finally:
        repos.close()
    rows = []
    for a in apps:
        profile = ApplicantProfile.model_validate(a.profile)
        rows.append(to_features(profile, LoanRequest.model_validate(a.request)))
    return rows


@scoring_app.command()
def drift(
    recent: Annotated[
        Path | None, typer.Option("--recent", help="CSV of recent applicants (default: the store)")
    ] = None,
    limit: int = typer.Option(10_000, "--limit", min=1, help="most recent stored applications"),
    out: Annotated[
        Path | None,
        typer.Option("--out", help="report folder (default: <var-dir>/ops/drift, what staff see)"),
    ] = None,
    var_dir: VarDirOpt = None,
) -> None:
    """PSI and KS per feature and for the score: the champion's training data vs recent rows.

    Exit code 1 when any PSI reaches the act threshold.
    """
    import pandas as pd

    from scoring.datasets import read_csv
    from scoring.drift import drift_report, save_drift_report
    from scoring.registry import load_champion

    root = var_dir or get_settings().var_dir
    with one_line_errors():
        model = load_champion(root)
        ref, _ = read_csv(model.metadata["data_path"])
        cur = read_csv(recent)[0] if recent else pd.DataFrame(_recent_from_store(limit))
        if cur.empty:
            raise NotFound("no recent applications to compare (submit some or pass --recent)")
        missing = [f for f in model.features if f not in cur.columns]
        if missing:
            raise ValidationFailed(f"recent rows lack {', '.join(missing)}", field="recent")
        ref_s = ref.sample(min(len(ref), 5000), random_state=0)
        ref_pd = [r.probability_of_default for r in model.score(ref_s.to_dict("records"))]
        cur_pd = [r.probability_of_default for r in model.score(cur.to_dict("records"))]
        meta = model.metadata
        report = drift_report(ref, cur, meta["numeric"], meta["categorical"], (ref_pd, cur_pd))
        files = save_drift_report(report, out or drift_dir_for(root))
    name = Path(model.metadata["data_path"]).name
    table = Table(title=f"drift vs {name} (overall {report.level})")
    for col in ("feature", "PSI", "KS", "level"):
        table.add_column(col)
    for f in report.features:
        table.add_row(f.feature, f"{f.psi:.4f}", "" if f.ks_statistic is None else
                      f"{f.ks_statistic:.3f}", f.level)  # fmt: skip
    console.print(table)
    console.print(f"[green]report[/green]: {', '.join(map(str, files))}")
    if report.level == "act":
        raise typer.Exit(1)


@scoring_app.command("outcomes")
def outcomes(
    repayments: Annotated[
        Path | None, typer.Option("--repayments", help="CSV of application_id,outcome")
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="dataset folder")] = Path("var/data/outcomes"),
    limit: int = typer.Option(100_000, "--limit", min=1, help="most recent stored applications"),
) -> None:
    """Export decided applications (labels from repayments where given) as a versioned dataset."""
    from api.backends import build_repositories
    from core.clock import SystemClock
    from lending.schemas import ApplicantProfile, LoanRequest
    from scoring.outcome_data import (
        DecidedApplication,
        labelled_frame,
        read_repayments,
        write_export,
    )
    from storage.kpis import load_records
    from tools.features import to_features

    with one_line_errors():
        repos = build_repositories(get_settings(), SystemClock())
        try:
            apps, _ = load_records(repos, limit)
        finally:
            repos.close()
        decided = [
            DecidedApplication(
                a.application_id,
                to_features(
                    ApplicantProfile.model_validate(a.profile),
                    LoanRequest.model_validate(a.request),
                ),
                str((a.decision or {}).get("outcome")) if a.decision else None,
            )  # fmt: skip
            for a in apps
        ]
        try:
            paid = read_repayments(repayments) if repayments else None
            frame, sources = labelled_frame(decided, paid)
            export = write_export(frame, sources, out, SystemClock().now())
        except ValueError as exc:
            raise ValidationFailed(str(exc), field="repayments" if repayments else "data") from None
    console.print(f"[green]dataset[/green] {export.path} ({export.rows} rows, {export.sources})")
    console.print(f"sha256 {export.sha256}; retrain with: scoring retrain --data {export.path}")
