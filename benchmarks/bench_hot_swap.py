"""Hot swap under load: failed requests and latency while the champion pointer flips.

Trains two small models in a temp registry, serves it with the container entry point, drives
client threads scoring one applicant per request over keep-alive connections, and flips the
champion `--flips` times (the server's watcher polls the pointer every second).

Usage: python benchmarks/bench_hot_swap.py [--flips 10] [--clients 4]
Prints figures, then one JSON line.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.integration.test_scoring_hot_swap import swap_under_load, train_two  # noqa: E402


def main() -> None:
    """Run the drive and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flips", type=int, default=10)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        var = Path(tmp)
        models = train_two(var)
        run = swap_under_load(var, models, flips=args.flips, clients=args.clients)
    lat = np.array(run.latency) * 1000
    figures = {
        "requests": len(run.latency),
        "failed": len(run.failed),
        "swaps": args.flips,
        "clients": args.clients,
        "answered_by": {m: run.ok.count(m) for m in models},
        "p50_ms": round(float(np.percentile(lat, 50)), 2),
        "p99_ms": round(float(np.percentile(lat, 99)), 2),
        "max_ms": round(float(lat.max()), 2),
    }
    for key, value in figures.items():
        print(f"{key:>12}: {value}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
