"""Latency of the scoring server over loopback vs the in-process scorer.

Starts the container entry point (`python -m scoring.server serve`) on a free loopback port with
the champion from the settings' var dir (or, when there is none, a bootstrap-style LR + XGBoost
model trained on generated data in a temp dir), then measures:

* single-applicant `POST /invocations` (JSON, keep-alive): p50/p95/p99 (target p50 < 5 ms), with
  the stdlib `http.client` (the transport floor) and with httpx (what `HttpScorer` pays)
* the same through boto3 `sagemaker-runtime` with `endpoint_url` pointed at the server
* a batch of 1,000 applicants (target < 100 ms), with and without explanations
* the in-process scorer (`LoadedModel.score` behind the same validation) for the ratio

Usage: python benchmarks/bench_scoring_server.py [--single 2000] [--batches 30] [--model-dir DIR]
Prints figures, then one JSON line.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.config import get_settings  # noqa: E402
from scoring.client import InProcessScorer, SageMakerScorer  # noqa: E402
from scoring.datasets import SEED_SPEC, load_dataset  # noqa: E402
from scoring.generator import write  # noqa: E402
from scoring.registry import champion_id, load_champion  # noqa: E402
from tests.integration.servers import free_port, running  # noqa: E402


def model_dir(tmp: Path, given: Path | None) -> tuple[Path, str]:
    if given is not None:
        return given, "--model-dir"
    var = get_settings().var_dir
    if not var.is_absolute():
        var = ROOT / var
    if champion_id(var):
        return var, "settings champion"
    from cli.scoring import train_and_register

    data = write(5000, 42, tmp / "data" / "generated.csv")
    train_and_register(data, SEED_SPEC, tmp, folds=3, seed=42, families=("lr", "xgb"), fast=True,
                       progress=False)  # fmt: skip
    return tmp, "bootstrap-style lr+xgb trained for this run"


def sample_rows(n: int) -> list[dict[str, Any]]:
    """Generated applicants the server accepts (the generator records some incomes <= 0)."""
    with tempfile.TemporaryDirectory() as d:
        ds = load_dataset(write(n + n // 5, 7, Path(d) / "rows.csv"), SEED_SPEC)
    frame = ds.X[ds.X["annual_income"] > 0].iloc[:n].astype(object)
    rows = list(frame.where(frame.notna(), None).to_dict("records"))
    assert len(rows) == n
    return rows


def timed(fn: Callable[[], Any], n: int, warmup: int = 20) -> np.ndarray:
    for _ in range(warmup):
        fn()
    out = np.empty(n)
    for i in range(n):
        t = time.perf_counter()
        fn()
        out[i] = (time.perf_counter() - t) * 1000
    return out


def stats(ms: np.ndarray) -> dict[str, float]:
    return {f"p{q}": round(float(np.percentile(ms, q)), 3) for q in (50, 95, 99)}


def ping_while_busy(port: int, big: bytes, headers: dict[str, str]) -> dict[str, float]:
    """Ping every 20 ms while a 5,000-row explained batch runs (SageMaker wants /ping < 2 s)."""
    base = f"http://127.0.0.1:{port}"
    done = threading.Event()
    took: list[float] = []

    def heavy() -> None:
        try:
            httpx.post(f"{base}/invocations", content=big, headers=headers, timeout=120)
        finally:
            done.set()

    worker = threading.Thread(target=heavy)
    start = time.perf_counter()
    worker.start()
    with httpx.Client(timeout=10) as c:
        time.sleep(0.05)
        while not done.is_set():
            t = time.perf_counter()
            assert c.get(f"{base}/ping").status_code == 200
            took.append((time.perf_counter() - t) * 1000)
            time.sleep(0.02)
    worker.join()
    ms = np.array(took or [float("nan")])
    return {"batch_s": round(time.perf_counter() - start, 3), "pings": len(took),
            "p50": round(float(np.median(ms)), 3), "max": round(float(ms.max()), 3)}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--single", type=int, default=2000, help="single-applicant requests")
    ap.add_argument("--batches", type=int, default=30, help="1,000-row requests")
    ap.add_argument("--model-dir", type=Path, default=None, help="model folder or registry root")
    args = ap.parse_args()
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "local")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "local")
    os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        mdir, origin = model_dir(tmp, args.model_dir)
        model = load_champion(mdir)
        rows = sample_rows(1000)
        one = rows[0]
        batch = json.dumps(rows).encode()
        single = json.dumps(one).encode()
        port = free_port()
        cmd = [sys.executable, "-m", "scoring.server", "serve", "--model-dir", str(mdir),
               "--port", str(port)]  # fmt: skip
        # INFO logging as deployed: one JSON line per invocation is part of the cost measured
        env = {"LOAN_ADVISOR_LOG_LEVEL": "INFO"}
        with running(cmd, f"http://127.0.0.1:{port}/ping", env=env, log=tmp / "server.log"):
            url = f"http://127.0.0.1:{port}/invocations"
            hdr = {"content-type": "application/json"}
            explain_hdr = {**hdr, "x-amzn-sagemaker-custom-attributes": "explain=true"}
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

            def raw_post() -> None:
                conn.request("POST", "/invocations", body=single, headers=hdr)
                resp = conn.getresponse()
                resp.read()
                assert resp.status == 200

            raw_http_single = timed(raw_post, args.single)
            conn.close()
            with httpx.Client(timeout=30) as c:
                r = c.post(url, content=batch, headers=hdr)
                assert r.status_code == 200, r.text[:500]  # only accepted requests are timed
                http_single = timed(lambda: c.post(url, content=single, headers=hdr), args.single)
                http_explain = timed(lambda: c.post(url, content=single, headers=explain_hdr),
                                     args.single // 2)  # fmt: skip
                http_batch = timed(lambda: c.post(url, content=batch, headers=hdr), args.batches, 3)
                http_batch_x = timed(lambda: c.post(url, content=batch, headers=explain_hdr),
                                     args.batches, 3)  # fmt: skip
                r = c.post(url, content=batch, headers=hdr)
                assert r.status_code == 200, r.text[:500]
                assert len(r.json()["predictions"]) == 1000
            ping_busy = ping_while_busy(port, json.dumps(rows * 5).encode(), explain_hdr)
            sm = SageMakerScorer("bench", endpoint_url=f"http://127.0.0.1:{port}", timeout=30)
            sm_single = timed(lambda: sm.score([one]), args.single // 2)

    inproc = InProcessScorer(model)
    in_single = timed(lambda: inproc.score([one]), args.single)
    in_batch = timed(lambda: inproc.score(rows), args.batches, 3)
    raw_single = timed(lambda: model.score([one]), args.single)

    figures: dict[str, Any] = {
        "model": model.model_id,
        "model_origin": origin,
        "members": [m.family for m in model.model.members],
        "http_single_ms": stats(raw_http_single),
        "httpx_single_ms": stats(http_single),
        "http_single_explain_ms": stats(http_explain),
        "sagemaker_boto3_single_ms": stats(sm_single),
        "http_batch1000_ms": stats(http_batch),
        "http_batch1000_explain_ms": stats(http_batch_x),
        "inprocess_single_ms": stats(in_single),
        "inprocess_batch1000_ms": stats(in_batch),
        "model_score_single_ms": stats(raw_single),
        "ping_during_5000_row_explain_batch_ms": ping_busy,
    }
    p50 = {k: v["p50"] for k, v in figures.items() if isinstance(v, dict)}
    figures["ratio_http_vs_inprocess_single_p50"] = round(
        p50["http_single_ms"] / p50["inprocess_single_ms"], 2
    )
    figures["ratio_http_vs_inprocess_batch1000_p50"] = round(
        p50["http_batch1000_ms"] / p50["inprocess_batch1000_ms"], 2
    )
    figures["target_single_p50_under_5ms"] = p50["http_single_ms"] < 5
    figures["target_batch1000_under_100ms"] = p50["http_batch1000_ms"] < 100
    figures["cpus"] = os.cpu_count()
    figures["load_avg_1m"] = round(os.getloadavg()[0], 2)

    print(f"model {model.model_id} ({origin}; members {figures['members']})")
    for key, value in figures.items():
        if isinstance(value, dict) and "p95" in value:
            print(f"  {key:30s} p50 {value['p50']:8.3f}  p95 {value['p95']:8.3f}  "
                  f"p99 {value['p99']:8.3f} ms")  # fmt: skip
    print(f"  http/in-process p50 ratio: single {figures['ratio_http_vs_inprocess_single_p50']}x, "
          f"batch {figures['ratio_http_vs_inprocess_batch1000_p50']}x")  # fmt: skip
    print(f"  /ping during a 5,000-row explained batch: {ping_busy}")
    print(json.dumps({"bench": "scoring_server", **figures}))


if __name__ == "__main__":
    main()
