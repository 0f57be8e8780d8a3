"""Find, load and validate the versioned suites under `evals/datasets/<suite>/v<N>.yaml`."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from evals.schema import Suite

DATASETS = Path(__file__).with_name("datasets")
_VERSION = re.compile(r"^v(\d+)\.yaml$")


class SuiteError(ValueError):
    """A suite is missing or malformed; the message names the file, case and field."""


def available(root: Path = DATASETS) -> dict[str, list[int]]:
    """Return every suite name under `root` with its versions (ascending)."""
    out: dict[str, list[int]] = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        versions = sorted(
            int(m.group(1)) for f in folder.iterdir() if (m := _VERSION.match(f.name))
        )
        if versions:
            out[folder.name] = versions
    return out


def suite_path(name: str, version: int | None = None, root: Path = DATASETS) -> Path:
    """Return the file of suite `name` at `version` (default: its latest)."""
    folder = root / name
    versions = sorted(
        int(m.group(1)) for f in folder.glob("v*.yaml") if (m := _VERSION.match(f.name))
    )
    if not versions:
        choices = ", ".join(available(root)) or "none"
        raise SuiteError(f"unknown suite {name!r}; choose from: {choices}")
    chosen = version if version is not None else versions[-1]
    if chosen not in versions:
        raise SuiteError(f"suite {name!r} has no v{chosen}; versions: {versions}")
    return folder / f"v{chosen}.yaml"


def load_file(path: Path) -> Suite:
    """Parse and validate one suite file, naming file, case and field on any error."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SuiteError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise SuiteError(f"{path}: a suite file must be a mapping with suite, version, cases")
    try:
        suite = Suite.model_validate(raw)
    except ValidationError as exc:
        raise SuiteError(_describe(path, raw, exc)) from exc
    expected = _VERSION.match(path.name)
    if expected and int(expected.group(1)) != suite.version:
        raise SuiteError(f"{path}: field 'version' is {suite.version} but the file is {path.name}")
    return suite


def load(name: str, version: int | None = None, root: Path = DATASETS) -> Suite:
    """Load suite `name` (latest version unless given)."""
    return load_file(suite_path(name, version, root))


def digest(path: Path) -> str:
    """Return a short SHA-256 of a suite file, recorded with every run."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def _describe(path: Path, raw: dict[str, Any], exc: ValidationError) -> str:
    """Turn pydantic's errors into lines naming the case id and the field path."""
    lines = []
    for err in exc.errors():
        loc = list(err["loc"])
        where = ""
        if len(loc) >= 2 and loc[0] == "cases" and isinstance(loc[1], int):
            cases = raw.get("cases") or []
            case = cases[loc[1]] if loc[1] < len(cases) else {}
            case_id = case.get("id") if isinstance(case, dict) else None
            where = f"case {case_id or '#' + str(loc[1] + 1)!s}: "
            loc = loc[2:]
        field = ".".join(str(p) for p in loc) or "(case)"
        lines.append(f"{path}: {where}field '{field}': {err['msg']}")
    return "\n".join(lines)
