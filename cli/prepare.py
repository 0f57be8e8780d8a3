"""`loan-advisor prepare`: build whatever `make run` needs and is missing (idempotent)."""

from __future__ import annotations

from rich.console import Console

from cli.kb import ensure_kb_index
from cli.scoring import ensure_champion
from core.config import get_settings

console = Console()


def prepare() -> None:
    """Create the var folder and any missing artifacts (credit model, knowledge-base index)."""
    settings = get_settings()
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    ensure_champion(settings.var_dir)
    console.print(ensure_kb_index(settings))
    console.print(f"[green]ready[/green]: artifacts under {settings.var_dir}/")
