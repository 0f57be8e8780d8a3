"""`python -m scoring.server serve`: the container entry point, the edge of its own process.

The scoring server runs alone in its SageMaker container (no API, no CLI above it), so this
module is that process's composition root: the one place in `scoring/` that reads `Settings`.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from scoring.server.loading import default_model_dir
from scoring.server.runner import serve


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Read `[--model-dir DIR] [--host H] [--port P] serve` (the container's command line)."""
    parser = argparse.ArgumentParser(
        prog="python -m scoring.server", description="Serve the credit model (SageMaker contract)."
    )
    parser.add_argument("command", choices=["serve"], help="what SageMaker runs: `serve`")
    parser.add_argument(
        "--model-dir",
        type=Path,
        default=None,
        help="model folder or registry root (default: /opt/ml/model if present, "
        "else the settings' var dir)",
    )
    parser.add_argument("--host", default="127.0.0.1", help="bind address (0.0.0.0 in a container)")
    parser.add_argument(
        "--port", type=int, default=None, help="port (default: SAGEMAKER_BIND_TO_PORT, else 8080)"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    """Container entry point: `python -m scoring.server [options] serve`."""
    from core.config import get_settings
    from core.logging import configure_logging

    args = parse_args(argv)
    settings = get_settings()
    configure_logging(settings.log_level)
    serve(
        args.model_dir or default_model_dir(settings.var_dir),
        host=args.host,
        port=args.port or settings.scoring_port,
        max_rows=settings.scoring_max_batch_rows,
    )


if __name__ == "__main__":
    main()
