"""Load a prompt by name and version so every turn can record exactly which text it used."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from core.errors import NotFound

PROMPTS_DIR = Path(__file__).parent
_VERSION = re.compile(r"^v(\d+)\.(md|yaml)$")


def versions(name: str) -> list[int]:
    """Return the versions available for prompt `name`, ascending."""
    folder = PROMPTS_DIR / name
    if not folder.is_dir():
        raise NotFound(f"no prompt named {name!r}", field="name")
    found = [int(m.group(1)) for p in folder.iterdir() if (m := _VERSION.match(p.name))]
    return sorted(found)


@lru_cache(maxsize=128)
def load_prompt(name: str, version: int | None = None) -> tuple[str, str]:
    """Return (text, version label like "system/v1"); `None` means the latest version."""
    available = versions(name)
    if not available:
        raise NotFound(f"prompt {name!r} has no versions", field="name")
    chosen = available[-1] if version is None else version
    if chosen not in available:
        raise NotFound(f"prompt {name!r} has no version {chosen}", field="version")
    folder = PROMPTS_DIR / name
    path = next(p for p in folder.iterdir() if p.stem == f"v{chosen}")
    return path.read_text(encoding="utf-8"), f"{name}/v{chosen}"


@lru_cache(maxsize=32)
def load_yaml_prompt(name: str, version: int | None = None) -> tuple[dict[str, Any], str]:
    """Return a YAML prompt (e.g. a template table) parsed, with its version label.

    Parsed once per process (it sits on every offline turn); callers must not mutate it.
    """
    text, label = load_prompt(name, version)
    data: dict[str, Any] = yaml.safe_load(text)
    return data, label
