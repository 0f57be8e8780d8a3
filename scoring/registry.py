"""Model registry on local disk: one versioned folder per model and a champion pointer.

Layout: `<var_dir>/models/<model_id>/` holds model.joblib (the fitted `FittedModel`),
metadata.json (metrics, CV summary, data hash, code version, features), model_card.md,
fairness.json and plots/; `<var_dir>/models/CHAMPION` holds the champion's id. A model is written
to a hidden temp folder and renamed into place, so a failed run leaves nothing behind.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import asdict
from pathlib import Path
from typing import Any

import joblib

from core.clock import Clock, SystemClock
from core.errors import NotFound
from scoring.datasets import Dataset
from scoring.evaluation import save_plots
from scoring.explain import global_importance, save_importance_plot
from scoring.fairness import fairness_report
from scoring.model import LoadedModel
from scoring.modelcard import render_model_card
from scoring.training import TrainOutcome

CHAMPION_FILE = "CHAMPION"


def models_dir(var_dir: Path) -> Path:
    """Folder holding every registered model."""
    return Path(var_dir) / "models"


def code_version() -> str:
    """Git commit of the code (suffixed `-dirty` with local changes), or the package version."""
    root = Path(__file__).resolve().parents[1]
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "scoring"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=5,
        ).stdout.strip()
        return sha + ("-dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        from importlib.metadata import version

        return f"loan-advisor=={version('loan-advisor')}"


def register(
    outcome: TrainOutcome,
    ds: Dataset,
    var_dir: Path,
    *,
    make_champion: bool = True,
    clock: Clock | None = None,
) -> str:
    """Write a trained model into the registry and return its id (optionally make it champion)."""
    now = (clock or SystemClock()).now()
    model = outcome.model
    model_id = f"m{now:%Y%m%d-%H%M%S}-{ds.data_hash[:8]}"
    root = models_dir(var_dir)
    root.mkdir(parents=True, exist_ok=True)
    final = root / model_id
    n = 1
    while final.exists():
        n += 1
        final = root / f"{model_id}-{n}"
    model_id = final.name
    tmp = root / f".tmp-{model_id}"
    try:
        tmp.mkdir()
        Zte = model.encoder.transform(ds.X.iloc[outcome.test_index])
        importance = global_importance(model, Zte)
        save_plots(outcome.test_y, outcome.test_pd, tmp / "plots")
        save_importance_plot(importance, tmp / "plots" / "shap_importance.png")
        excluded = [c for c, why in ds.dropped.items() if why == "protected attribute"]
        fairness = fairness_report(
            ds.frame.iloc[outcome.test_index].reset_index(drop=True),
            outcome.test_y,
            outcome.test_pd,
            model.threshold,
            ds.protected,
            excluded,
        )
        meta: dict[str, Any] = {
            "model_id": model_id,
            "created_at": now.isoformat(),
            "code_version": code_version(),
            "data_path": ds.path,
            "data_hash": ds.data_hash,
            "n_rows": int(len(ds.y)),
            "spec": {**asdict(ds.spec), "drop": list(ds.spec.drop)},
            "features": model.features,
            "numeric": list(model.encoder.numeric),
            "categorical": list(model.encoder.categorical),
            "protected": ds.protected,
            "dropped": ds.dropped,
            "members": [
                {"family": m.family, "params": _plain(m.params), "weight": m.weight}
                for m in model.members
            ],
            "uses_tensorflow": model.uses_tensorflow,
            "calibration": model.calibrator.method,
            "threshold": model.threshold,
            "cost_ratio": outcome.config.cost_ratio,
            "metrics": outcome.metrics,
            "cv": outcome.cv.summary(),
            "global_importance": importance,
        }
        joblib.dump(model, tmp / "model.joblib", compress=3)
        (tmp / "metadata.json").write_text(json.dumps(meta, indent=2, default=str))
        (tmp / "fairness.json").write_text(json.dumps(fairness, indent=2, default=str))
        (tmp / "model_card.md").write_text(render_model_card(meta, fairness))
        tmp.rename(final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if make_champion:
        set_champion(var_dir, model_id)
    return model_id


def _plain(p: dict[str, Any]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in p.items()}


def set_champion(var_dir: Path, model_id: str) -> None:
    """Point CHAMPION at a registered model (atomic replace)."""
    root = models_dir(var_dir)
    if not (root / model_id / "model.joblib").is_file():
        raise NotFound(f"model {model_id!r} is not in the registry", field="model_id")
    tmp = root / f".{CHAMPION_FILE}.tmp"
    tmp.write_text(model_id + "\n")
    tmp.replace(root / CHAMPION_FILE)


def champion_id(var_dir: Path) -> str | None:
    """Return the champion's id, or None when no champion is set."""
    path = models_dir(var_dir) / CHAMPION_FILE
    if not path.is_file():
        return None
    value = path.read_text().strip()
    return value or None


def list_models(var_dir: Path) -> list[dict[str, Any]]:
    """Metadata of every registered model, newest first."""
    root = models_dir(var_dir)
    if not root.is_dir():
        return []
    out = []
    for meta in root.glob("*/metadata.json"):
        if not meta.parent.name.startswith("."):
            out.append(json.loads(meta.read_text()))
    return sorted(out, key=lambda m: m["created_at"], reverse=True)


def load_model(var_dir: Path, model_id: str) -> LoadedModel:
    """Load one registered model (never imports TensorFlow: networks predict in numpy)."""
    folder = models_dir(var_dir) / model_id
    if not (folder / "model.joblib").is_file():
        raise NotFound(f"model {model_id!r} is not in the registry", field="model_id")
    meta = json.loads((folder / "metadata.json").read_text())
    return LoadedModel(model_id, joblib.load(folder / "model.joblib"), meta, folder)


def load_champion(var_dir: Path) -> LoadedModel:
    """Load the champion model.

    Raises:
        NotFound: no champion yet (run `loan-advisor prepare` or `loan-advisor scoring train`).
    """
    mid = champion_id(var_dir)
    if mid is None:
        raise NotFound(
            "no champion model; run `loan-advisor prepare` or `loan-advisor scoring train`"
        )
    return load_model(var_dir, mid)
