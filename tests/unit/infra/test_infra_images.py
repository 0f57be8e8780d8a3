"""The API image holds every package the project installs (a missing one fails at import)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_the_api_image_copies_every_installed_package():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packages = {p.rstrip("*") for p in project["tool"]["setuptools"]["packages"]["find"]["include"]}
    dockerfile = (ROOT / "infra" / "api_lambda" / "Dockerfile").read_text()
    copied = set(re.findall(r"^COPY (\w+) /opt/app/\1$", dockerfile, flags=re.MULTILINE))
    assert packages <= copied, sorted(packages - copied)
