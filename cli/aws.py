"""`loan-advisor aws ...`: set up what AWS mode serves from (run once per environment)."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.settings import load_settings

aws_app = typer.Typer(help="AWS mode: create tables, the documents bucket and the KB index.")


@aws_app.command("bootstrap")
def bootstrap(
    endpoint_url: Annotated[
        str | None,
        typer.Option(
            "--endpoint-url",
            help="one endpoint for DynamoDB and S3 (a local stand-in such as LocalStack); "
            "default: each service's own LOAN_ADVISOR_*_ENDPOINT_URL, else AWS",
        ),
    ] = None,
) -> None:
    """Create the DynamoDB tables, the S3 bucket and the OpenSearch index if missing."""
    from api.bootstrap import bootstrap as run_bootstrap

    settings = load_settings()
    if (
        settings.store != "dynamodb"
        and settings.mode != "aws"
        and settings.kb_index != "opensearch"
    ):
        typer.echo("nothing to create: the settings use only embedded stores (local mode)")
        return
    run_bootstrap(settings, endpoint_url=endpoint_url, report=typer.echo)
