"""The scoring server as SageMaker runs it (`... serve`, SAGEMAKER_BIND_TO_PORT), over loopback.

One server process hosts a freshly trained registry model; the same applicants go through every
client transport (in-process, HTTP, boto3 sagemaker-runtime with `endpoint_url` pointed at the
server) and must get the same answers, the same typed errors, and leave the server up.
"""

from __future__ import annotations

import csv
import io
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from cli.scoring import train_and_register
from scoring.client import HttpScorer, InProcessScorer, SageMakerScorer, Scorer, ScoringRejected
from scoring.datasets import SEED_SPEC, load_dataset
from scoring.generator import write
from scoring.registry import load_champion
from tests.integration.servers import free_port, running

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    var = tmp_path_factory.mktemp("scoring-var")
    data = write(1500, 11, var / "data" / "generated.csv")
    train_and_register(data, SEED_SPEC, var, folds=2, seed=11, families=("lr", "xgb"), fast=True,
                       progress=False)  # fmt: skip
    return var


@pytest.fixture(scope="module")
def rows(registry: Path) -> list[dict[str, Any]]:
    ds = load_dataset(registry / "data" / "generated.csv", SEED_SPEC)
    frame = ds.X.iloc[:8].astype(object).where(ds.X.iloc[:8].notna(), None)
    return list(frame.to_dict("records"))


@pytest.fixture(scope="module")
def server(registry: Path) -> Iterator[str]:
    """The container entry point, with the port given the SageMaker way."""
    port = free_port()
    cmd = [sys.executable, "-m", "scoring.server", "serve", "--model-dir", str(registry)]
    with running(cmd, f"http://127.0.0.1:{port}/ping", env={"SAGEMAKER_BIND_TO_PORT": str(port)},
                 log=registry / "scoring-server.log"):  # fmt: skip
        yield f"http://127.0.0.1:{port}"


@pytest.fixture
def transports(server: str, registry: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Scorer]:
    for key, value in {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local",
                       "AWS_EC2_METADATA_DISABLED": "true"}.items():  # fmt: skip
        monkeypatch.setenv(key, value)
    return {
        "inprocess": InProcessScorer(load_champion(registry)),
        "http": HttpScorer(server, timeout=5),
        "sagemaker": SageMakerScorer("loan-advisor-scoring", endpoint_url=server, timeout=5),
    }


def test_every_transport_gives_the_same_answers(
    transports: dict[str, Scorer], rows: list[dict[str, Any]]
) -> None:
    results = {name: s.score(rows, explain=True) for name, s in transports.items()}
    base = results["inprocess"]
    for name, got in results.items():
        assert len(got) == len(rows), name
        for a, b in zip(got, base, strict=True):
            assert a.probability_of_default == pytest.approx(b.probability_of_default, abs=1e-12)
            assert (a.risk_tier, a.model_version, a.decision) == (b.risk_tier, b.model_version,
                                                                  b.decision)  # fmt: skip
            assert [r.code for r in a.reasons or []] == [r.code for r in b.reasons or []]
            assert a.contributions == pytest.approx(b.contributions)
    plain = transports["sagemaker"].score(rows[:1])
    assert plain[0].reasons is None  # explain travels only when asked


@pytest.mark.parametrize(
    ("change", "field"),
    [({"annual_income": -1200.0}, "annual_income"), ({"credit_score": 880}, "credit_score"),
     ({"employment_status": "Astronaut"}, "employment_status")],
)  # fmt: skip
def test_bad_input_is_a_typed_error_on_every_transport(
    transports: dict[str, Scorer], rows: list[dict[str, Any]], server: str,
    change: dict[str, Any], field: str,
) -> None:  # fmt: skip
    batch = [rows[0], rows[1], {**rows[2], **change}]
    for name, scorer in transports.items():
        with pytest.raises(ScoringRejected) as info:
            scorer.score(batch)
        assert (info.value.row, info.value.field) == (2, field), name
    assert httpx.get(f"{server}/ping").status_code == 200  # still up


def test_raw_contract_csv_and_limits(server: str, rows: list[dict[str, Any]]) -> None:
    features = httpx.get(f"{server}/ping").json()["features"]
    body = "\n".join(",".join("" if r[f] is None else str(r[f]) for f in features) for r in rows)
    r = httpx.post(f"{server}/invocations", content=body,
                   headers={"content-type": "text/csv", "accept": "text/csv"})  # fmt: skip
    assert r.status_code == 200
    assert len(list(csv.DictReader(io.StringIO(r.text)))) == len(rows)
    batch = (rows * 1251)[:10_001]
    r = httpx.post(f"{server}/invocations", json=batch, timeout=30)
    assert r.status_code in (400, 413)
    thousand = httpx.post(f"{server}/invocations", json=(rows * 125)[:1000], timeout=30)
    assert thousand.status_code == 200 and len(thousand.json()["predictions"]) == 1000
    assert httpx.post(f"{server}/invocations", content=b"{oops").status_code == 400


def test_missing_model_pings_503_and_sigterm_exits_cleanly(tmp_path: Path) -> None:
    port = free_port()
    cmd = [sys.executable, "-m", "cli.main", "scoring", "serve",
           "--model-dir", str(tmp_path / "empty"), "--port", str(port)]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        ping = _wait_for_answer(f"http://127.0.0.1:{port}/ping", proc)
        assert ping.status_code == 503 and "does not exist" in ping.json()["reason"]
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err.decode()[-2000:]
    assert b"scoring server stopped" in err


def _wait_for_answer(
    url: str, proc: subprocess.Popen[bytes], timeout: float = 90
) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early with code {proc.returncode}")
        try:
            return httpx.get(url, timeout=1)
        except httpx.HTTPError:
            time.sleep(0.2)
    raise TimeoutError(url)


def test_the_agents_risk_adapter_works_over_each_setting(
    server: str, registry: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from decimal import Decimal

    from api.backends import build_row_scorer as build_scorer
    from core.config import Settings
    from lending.schemas import ApplicantProfile, LoanRequest
    from tools.risk import ModelRiskScorer

    for key, value in {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local",
                       "AWS_EC2_METADATA_DISABLED": "true"}.items():  # fmt: skip
        monkeypatch.setenv(key, value)
    profile = ApplicantProfile(
        age=41, annual_income=Decimal("64000"), monthly_debt_payments=Decimal("900"),
        credit_score=None, employment_status="Self-Employed", years_employed=3,
        savings_balance=Decimal("5200"), checking_balance=Decimal("-150"),
        home_ownership="Rent", num_dependents=1, education_level="Bachelor's", existing_loans=2,
    )  # fmt: skip
    request = LoanRequest(product="gold", amount=Decimal("8000"), tenure_months=18,
                          gold_value=Decimal("12000"))  # fmt: skip
    settings = [
        Settings(var_dir=registry),
        Settings(scorer="http", scoring_url=server),
        Settings(scorer="sagemaker", sagemaker_endpoint="credit", sagemaker_endpoint_url=server),
    ]
    assessments = [ModelRiskScorer(build_scorer(s)).assess(profile, request) for s in settings]
    first = assessments[0]
    for a in assessments:
        assert a.probability_of_default == pytest.approx(first.probability_of_default, abs=1e-12)
        assert a.model_dump(exclude={"probability_of_default"}) == first.model_dump(
            exclude={"probability_of_default"}
        )
