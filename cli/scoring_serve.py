"""`loan-advisor scoring serve`: run the credit model behind SageMaker's inference contract.

Kept apart from `cli/scoring.py` (the model lifecycle commands) and registered on the same
`scoring` group by importing this module in `cli/main.py`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.groups import scoring_app
from core.config import get_settings
from core.logging import configure_logging


@scoring_app.command("serve")
def serve(
    model_dir: Annotated[
        Path | None,
        typer.Option(
            "--model-dir",
            help="model folder (model.joblib + metadata.json) or registry root with "
            "models/CHAMPION (default: /opt/ml/model if present, else the var dir)",
        ),
    ] = None,
    host: Annotated[str, typer.Option("--host", help="bind address")] = "127.0.0.1",
    port: Annotated[
        int | None,
        typer.Option(
            "--port", min=1, max=65535, help="port (default: SAGEMAKER_BIND_TO_PORT, else 8080)"
        ),
    ] = None,
) -> None:
    """Serve GET /ping and POST /invocations until SIGTERM (the SageMaker container contract)."""
    from scoring.server.loading import default_model_dir
    from scoring.server.runner import serve as run_server

    settings = get_settings()
    configure_logging(settings.log_level)
    run_server(
        model_dir or default_model_dir(settings.var_dir),
        host=host,
        port=port or settings.scoring_port,
        max_rows=settings.scoring_max_batch_rows,
    )
