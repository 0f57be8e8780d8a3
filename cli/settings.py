"""Read the settings for a command, turning a bad value into one line and exit code 2."""

from __future__ import annotations

import typer
from pydantic import ValidationError

from core.config import Settings, get_settings


def load_settings() -> Settings:
    """Return the process settings, or exit with one line naming the first bad setting."""
    try:
        return get_settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "settings"
        typer.echo(f"loan-advisor: {where}: {first['msg']}", err=True)
        raise typer.Exit(code=2) from None
