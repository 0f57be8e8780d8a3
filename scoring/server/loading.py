"""Find and load the model the server hosts, keeping the reason when there is none.

SageMaker extracts the endpoint's `model.tar.gz` into `/opt/ml/model`. Two layouts work there
and in `--model-dir`: a single registry model folder (`model.joblib` + `metadata.json`, i.e. the
contents of `var/models/<model_id>/`), or a registry root holding `models/CHAMPION`.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

import joblib

from core.errors import LoanAdvisorError
from scoring.model import LoadedModel
from scoring.registry import CHAMPION_FILE, load_champion
from scoring.server.validation import FeatureSchema

SAGEMAKER_MODEL_DIR = Path("/opt/ml/model")
log = logging.getLogger(__name__)


@dataclass
class ModelState:
    """What the server hosts: a model and its input schema, or why there is none."""

    source: Path
    model: LoadedModel | None = None
    schema: FeatureSchema | None = None
    reason: str | None = None

    @property
    def ready(self) -> bool:
        """Whether `/invocations` can score."""
        return self.model is not None and self.schema is not None


def default_model_dir(var_dir: Path) -> Path:
    """Return `/opt/ml/model` when it exists (inside SageMaker), else the local registry root."""
    return SAGEMAKER_MODEL_DIR if SAGEMAKER_MODEL_DIR.is_dir() else Path(var_dir)


def load_model_dir(path: Path) -> LoadedModel:
    """Load a model folder or a registry root's champion (see module docstring).

    Raises:
        FileNotFoundError: neither layout is present.
        LoanAdvisorError: the registry has no champion or names a missing model.
    """
    path = Path(path)
    if (path / "model.joblib").is_file():
        meta_file = path / "metadata.json"
        meta = json.loads(meta_file.read_text()) if meta_file.is_file() else {}
        model_id = str(meta.get("model_id") or path.name)
        return LoadedModel(model_id, joblib.load(path / "model.joblib"), meta, path)
    if (path / "models" / CHAMPION_FILE).is_file():
        return load_champion(path)
    if path.name == "models" and (path / CHAMPION_FILE).is_file():
        return load_champion(path.parent)
    hint = "run `loan-advisor prepare` (trains a champion) or pass --model-dir"
    if not path.exists():
        raise FileNotFoundError(f"model directory {path} does not exist; {hint}")
    raise FileNotFoundError(
        f"no model in {path}: expected model.joblib + metadata.json (a registry model folder) "
        f"or models/CHAMPION (a registry root); {hint}"
    )


def load_state(path: Path) -> ModelState:
    """Load the model at `path`; on any failure keep the reason for `/ping` instead of raising."""
    state = ModelState(source=Path(path))
    try:
        model = load_model_dir(path)
        state.schema = FeatureSchema.from_model(model)
        state.model = model
    except (OSError, LoanAdvisorError) as exc:
        state.reason = getattr(exc, "message", None) or str(exc)
    except Exception as exc:  # a corrupt or incompatible artefact must not crash the server
        state.reason = f"could not load the model from {path}: {type(exc).__name__}: {exc}"
    if state.reason:
        log.error("scoring model unavailable", extra={"reason": state.reason, "source": str(path)})
    else:
        assert state.model is not None
        log.info(
            "scoring model loaded",
            extra={"model_version": state.model.model_id, "source": str(path)},
        )
    return state
