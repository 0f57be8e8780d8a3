"""`loan-advisor docs build`: write the generated reference pages under docs/reference/.

`--check` writes nothing and exits 1 when a committed page differs from what the code
generates (the test suite runs it), so a new route or setting cannot ship undocumented.
"""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path
from typing import Annotated

import typer

from cli.docs_reference import Rendered, render_api, render_config, render_products

app = typer.Typer(help="Generated documentation (API, configuration and product references).")
ROOT = Path(__file__).resolve().parent.parent
REFERENCE_DIR = ROOT / "docs" / "reference"
REPORTS_DIR = ROOT / "docs" / "reports"
_SECTION = re.compile(r"^\s+# (?P<title>[A-Z][\w ,/-]+)$")
_FIELD = re.compile(r"^\s+(?P<name>[a-z_][a-z0-9_]*)\s*:")


def settings_sections() -> dict[str, str]:
    """Map the first setting of each commented section of `Settings` to its section title."""
    from core.config import Settings

    groups: dict[str, str] = {}
    pending = "Process"
    for line in inspect.getsource(Settings).splitlines():
        if (section := _SECTION.match(line)) is not None:
            pending = section["title"]
        elif (found := _FIELD.match(line)) is not None and pending:
            if found["name"] in Settings.model_fields:
                groups[found["name"]] = pending
                pending = ""
    return groups


def build_pages() -> dict[str, Rendered]:
    """Render every reference page, keyed by file name."""
    from api.main import create_app
    from api.openapi import PUBLIC_OPERATIONS
    from core.config import Settings
    from lending.policy import load_policy

    prefix = str(Settings.model_config.get("env_prefix", ""))
    return {
        "api.md": render_api(create_app().openapi(), PUBLIC_OPERATIONS),
        "configuration.md": render_config(Settings.model_fields, prefix, settings_sections()),
        "products.md": render_products(load_policy()),
    }


@app.command("build")
def build(
    out: Annotated[Path, typer.Option(help="where the pages are written")] = REFERENCE_DIR,
    check: Annotated[bool, typer.Option(help="write nothing; exit 1 when a page is stale")] = False,
) -> None:
    """Generate the API and configuration references; a warning fails the build."""
    pages = build_pages()
    warnings = [w for page in pages.values() for w in page.warnings]
    for warning in warnings:
        typer.echo(f"docs: warning: {warning}", err=True)
    if warnings:
        raise typer.Exit(code=1)
    stale = [n for n, p in pages.items() if _read(out / n) != p.markdown]
    if check:
        for name in stale:
            typer.echo(f"docs: {out / name} is stale; run `make docs`", err=True)
        raise typer.Exit(code=1 if stale else 0)
    out.mkdir(parents=True, exist_ok=True)
    for name, page in pages.items():
        (out / name).write_text(page.markdown, encoding="utf-8")
    typer.echo(f"docs: wrote {len(pages)} page(s) to {out} ({len(stale)} changed)")


def _read(path: Path) -> str | None:
    """Return a file's text, or None when it does not exist."""
    return path.read_text(encoding="utf-8") if path.exists() else None


@app.command("reports")
def reports(
    eval_run: Annotated[
        Path | None, typer.Option(help="eval run folder (default: the newest under var/evals)")
    ] = None,
    bench: Annotated[Path | None, typer.Option(help="saved `make bench` output")] = None,
    out: Annotated[Path, typer.Option(help="where the reports are written")] = REPORTS_DIR,
) -> None:
    """Write the champion's model card and the test report from what this machine has."""
    from cli.docs_reports import bench_lines, champion_card, render_test_report
    from cli.settings import load_settings
    from evals.suites import available, load
    from scoring.registry import champion_id, models_dir

    settings = load_settings()
    out.mkdir(parents=True, exist_ok=True)
    champion = champion_id(settings.var_dir)
    if champion is None:
        typer.echo("docs: no champion model; run `loan-advisor prepare` first", err=True)
        raise typer.Exit(code=2)
    card = champion_card(models_dir(settings.var_dir) / champion, out)
    (out / "model_card.md").write_text(card, encoding="utf-8")
    run = eval_run or _newest_run(settings.var_dir / "evals")
    report = None
    if run is not None and (run / "report.json").exists():
        report = json.loads((run / "report.json").read_text(encoding="utf-8"))
    suites = {}
    for name, versions in available().items():
        suite = load(name, versions[-1])
        suites[name] = (suite.version, len(suite.cases), suite.description)
    text = render_test_report(
        ROOT / "tests", suites, report, run.name if run else "", bench_lines(bench)
    )
    (out / "test_report.md").write_text(text, encoding="utf-8")
    typer.echo(f"docs: wrote model_card.md ({champion}) and test_report.md to {out}")


def _newest_run(evals_dir: Path) -> Path | None:
    """Return the newest finished eval run folder (one with a report.json), if any."""
    runs = sorted(p for p in evals_dir.glob("*/report.json")) if evals_dir.exists() else []
    return runs[-1].parent if runs else None
