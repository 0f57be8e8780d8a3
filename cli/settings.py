"""Read the settings for a command, turning a bad value into one line and exit code 2."""

from __future__ import annotations

import typer
from pydantic import ValidationError

from core.config import ConfigError, Settings, get_settings


def load_settings(*, serving: bool = False) -> Settings:
    """Return the process settings, or exit with one line naming the first bad setting.

    `serving=True` also refuses settings the API cannot serve with (AWS mode without Cognito).
    """
    try:
        settings = get_settings()
        if serving:
            settings.check_serving()
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "settings"
        typer.echo(f"loan-advisor: {where}: {first['msg']}", err=True)
        raise typer.Exit(code=2) from None
    except ConfigError as exc:
        typer.echo(f"loan-advisor: {exc}", err=True)
        raise typer.Exit(code=2) from None
    return settings
