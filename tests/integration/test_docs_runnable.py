"""Every block the docs mark `runnable` runs as written, in local mode, on a fresh var folder.

A block whose options include `server` gets a real API on a loopback port, passed as `BASE`
(the docs default it to `make run`'s address). Bash blocks run with `set -euo pipefail`,
Python blocks with this interpreter, `js` blocks with Node.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli.docs import ROOT
from cli.docs_links import Block, blocks, doc_pages
from tests.integration.servers import api_server

pytestmark = pytest.mark.integration
RUNNABLE = [b for page in doc_pages(ROOT) for b in blocks(page) if b.runnable]
COMMANDS = {
    "bash": ["bash", "-euo", "pipefail", "-c"],
    "sh": ["bash", "-euo", "pipefail", "-c"],
    "python": [sys.executable, "-c"],
    "js": ["node", "--input-type=module", "-e"],
}


@pytest.fixture(scope="module")
def docs_var(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A var folder with what `make run` prepares: a champion model and the KB index."""
    from cli.kb import ensure_kb_index
    from cli.scoring import ensure_champion
    from core.config import Settings

    var = tmp_path_factory.mktemp("docs-var")
    ensure_champion(var, rows=2000)
    ensure_kb_index(Settings(var_dir=var))
    return var


@pytest.fixture(scope="module")
def docs_server(docs_var: Path) -> Iterator[str]:
    """One API for every `server` block, on the prepared var folder."""
    with api_server(docs_var, {"LOAN_ADVISOR_CHAT_TURNS_PER_MINUTE": "200"}) as base:
        yield base


def test_the_docs_mark_blocks_runnable() -> None:
    assert {b.language for b in RUNNABLE} >= {"bash", "js"}, "no runnable examples found"


@pytest.mark.parametrize("block", RUNNABLE, ids=[b.where for b in RUNNABLE])
def test_runnable_block(block: Block, docs_var: Path, request: pytest.FixtureRequest) -> None:
    assert block.language in COMMANDS, f"{block.where}: no runner for {block.language!r}"
    if block.language == "js" and shutil.which("node") is None:
        pytest.fail("node is needed to run the docs' JavaScript examples")
    venv_bin = str(Path(sys.executable).parent)
    env = {
        **os.environ,
        "PATH": f"{venv_bin}{os.pathsep}{os.environ.get('PATH', '')}",
        "LOAN_ADVISOR_VAR_DIR": str(docs_var),
    }
    if "server" in block.options:
        env["BASE"] = request.getfixturevalue("docs_server")
    result = subprocess.run(
        [*COMMANDS[block.language], block.code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, (
        f"{block.where} failed ({result.returncode}):\n{result.stdout[-2000:]}\n"
        f"{result.stderr[-2000:]}"
    )
