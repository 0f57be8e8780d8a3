"""A hot swap under load: the champion pointer flips while clients score, and nothing fails.

The container entry point serves a registry root holding two models; client threads score
single applicants over keep-alive connections while the pointer moves back and forth. Every
request must succeed, both models must have answered, and the server must end on the last
champion. `benchmarks/bench_hot_swap.py` runs the same drive longer and prints its figures.
"""

from __future__ import annotations

import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from cli.scoring import train_and_register
from scoring.datasets import SEED_SPEC, load_dataset
from scoring.generator import write
from scoring.registry import set_champion
from tests.integration.servers import free_port, running

pytestmark = pytest.mark.integration
FLIP_SECONDS = 1.5  # the watcher polls every second: each flip lands within the window


@dataclass
class SwapRun:
    """What the clients saw while the champion flipped."""

    ok: list[str] = field(default_factory=list)  # model version of each good answer
    failed: list[str] = field(default_factory=list)  # what went wrong, per failed request
    latency: list[float] = field(default_factory=list)  # seconds, every request
    final: str = ""  # the model /ping reports at the end


def train_two(var: Path, rows: int = 1200) -> tuple[str, str]:
    """Register two models in `var` (LR champion, XGBoost challenger); return their ids."""
    data = write(rows, 5, var / "data" / "generated.csv")
    first, _ = train_and_register(data, SEED_SPEC, var, folds=2, seed=5, families=("lr",),
                                  fast=True, progress=False)  # fmt: skip
    second, _ = train_and_register(data, SEED_SPEC, var, folds=2, seed=6, families=("xgb",),
                                   fast=True, progress=False, champion=False)  # fmt: skip
    return first, second


def _client(url: str, row: dict[str, Any], stop: threading.Event, run: SwapRun) -> None:
    with httpx.Client(timeout=10) as http:
        while not stop.is_set():
            start = time.perf_counter()
            try:
                r = http.post(f"{url}/invocations", json={"instances": [row]})
                ok = r.status_code == 200
                version = r.json()["predictions"][0]["model_version"] if ok else r.text[:200]
            except httpx.HTTPError as exc:
                ok, version = False, repr(exc)
            run.latency.append(time.perf_counter() - start)
            (run.ok if ok else run.failed).append(version)


def swap_under_load(var: Path, models: tuple[str, str], *, flips: int, clients: int) -> SwapRun:
    """Serve `var`, drive `clients` scoring threads and flip the champion `flips` times."""
    ds = load_dataset(var / "data" / "generated.csv", SEED_SPEC)
    row = ds.X.iloc[:1].astype(object).where(ds.X.iloc[:1].notna(), None).to_dict("records")[0]
    port = free_port()
    cmd = [sys.executable, "-m", "scoring.server", "serve", "--model-dir", str(var),
           "--port", str(port)]  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    run = SwapRun()
    with running(cmd, f"{url}/ping", log=var / "scoring-server.log"):
        stop = threading.Event()
        threads = [
            threading.Thread(target=_client, args=(url, row, stop, run)) for _ in range(clients)
        ]
        for t in threads:
            t.start()
        for i in range(flips):
            time.sleep(FLIP_SECONDS)
            set_champion(var, models[(i + 1) % 2])
        time.sleep(FLIP_SECONDS)
        stop.set()
        for t in threads:
            t.join()
        run.final = httpx.get(f"{url}/ping").json()["model_version"]
    return run


def test_champion_swaps_under_load_with_zero_failed_requests(tmp_path):
    first, second = train_two(tmp_path)
    run = swap_under_load(tmp_path, (first, second), flips=4, clients=3)
    assert run.failed == []
    assert {first, second} <= set(run.ok) and len(run.ok) > 100
    assert run.final == first  # four flips: second, first, second, first
