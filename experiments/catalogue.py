"""The experiment definitions shipped with the service (YAML under experiments/definitions/)."""

from __future__ import annotations

from pathlib import Path

from experiments.definition import ExperimentDefinition, parse_definition

DEFINITIONS_DIR = Path(__file__).parent / "definitions"


def load_file(path: Path) -> ExperimentDefinition:
    """Return the definition in a YAML file (`ValidationFailed` names the bad field)."""
    return parse_definition(path.read_text(encoding="utf-8"))


def shipped() -> list[ExperimentDefinition]:
    """Return every shipped definition, by file name."""
    return [load_file(p) for p in sorted(DEFINITIONS_DIR.glob("*.yaml"))]
