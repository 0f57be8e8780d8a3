"""Entry point of the `loan-advisor` CLI; each command group lives in its own module."""

from __future__ import annotations

import typer

from cli import eval as _eval  # noqa: F401  (registers the `eval` commands)
from cli import experiments as _experiments  # noqa: F401  (registers `experiments` commands)
from cli import kb as _kb  # noqa: F401  (registers the `kb` commands)
from cli import ops as _ops  # noqa: F401  (registers the `ops` commands)
from cli import scoring as _scoring  # noqa: F401  (registers the `scoring` commands)
from cli import scoring_retrain as _scoring_retrain  # noqa: F401  (retrain, rollback, drift)
from cli import scoring_serve as _scoring_serve  # noqa: F401  (registers `scoring serve`)
from cli.aws import aws_app
from cli.chat import chat
from cli.docs import app as docs_app
from cli.groups import eval_app, experiments_app, kb_app, ops_app, scoring_app
from cli.prepare import prepare

app = typer.Typer(
    help="Loan Advisor: agentic loan advice with credit scoring, policy RAG and offers.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(scoring_app, name="scoring")
app.add_typer(kb_app, name="kb")
app.add_typer(eval_app, name="eval")
app.add_typer(experiments_app, name="experiments")
app.add_typer(ops_app, name="ops")
app.add_typer(aws_app, name="aws")
app.add_typer(docs_app, name="docs")
app.command()(chat)
app.command()(prepare)


@app.command("create-staff")
def create_staff(
    email: str = typer.Option(..., help="staff member's email"),
    password: str = typer.Option(..., prompt=True, hide_input=True, min=8),
) -> None:
    """Create (or promote) a staff account of the local identity provider."""
    from api.identity import create_staff_account
    from cli.settings import load_settings

    create_staff_account(load_settings(), email, password)
    typer.echo(f"staff account ready: {email}")


@app.command()
def serve(
    host: str | None = typer.Option(None, help="bind address (default from settings)"),
    port: int | None = typer.Option(None, min=1, max=65535, help="port (default 8000)"),
) -> None:
    """Serve the API and the web UI."""
    import os

    if host:
        os.environ["LOAN_ADVISOR_HOST"] = host
    if port:
        os.environ["LOAN_ADVISOR_PORT"] = str(port)
    from api.main import run
    from cli.eval import staff_eval_runs
    from cli.settings import load_settings

    settings = load_settings(serving=True)  # a bad setting is one line on stderr, not a traceback
    run(eval_runs=staff_eval_runs(settings.var_dir / "evals"))


if __name__ == "__main__":
    app()
