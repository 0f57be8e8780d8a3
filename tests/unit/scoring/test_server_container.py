"""The scoring container (infra/scoring): its command line, pins, and that they are enough.

Docker is not available to tests, so the image is checked by its parts: the ENTRYPOINT + CMD
parse as the server's command line, the requirement pins match pyproject.toml, and a process
that may import only those requirements (plus the stdlib, core and scoring) loads a registry
model and scores with explanations.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

from scoring.server.__main__ import parse_args

ROOT = Path(__file__).resolve().parents[3]
INFRA = ROOT / "infra" / "scoring"


def pins(lines: list[str]) -> dict[str, str]:
    out = {}
    for line in lines:
        line = line.split("#", 1)[0].strip().strip('",')
        if "==" in line:
            req = Requirement(line)
            out[req.name.lower()] = str(req.specifier).removeprefix("==")
    return out


def test_docker_run_serve_is_the_server_command_line() -> None:
    text = (INFRA / "Dockerfile").read_text()
    entry = json.loads(re.search(r"^ENTRYPOINT (\[.*\])$", text, re.M).group(1))
    cmd = json.loads(re.search(r"^CMD (\[.*\])$", text, re.M).group(1))
    assert entry[:3] == ["python", "-m", "scoring.server"] and cmd == ["serve"]
    args = parse_args([*entry[3:], *cmd])
    assert (args.command, args.host, args.port, args.model_dir) == ("serve", "0.0.0.0", None, None)
    assert "STOPSIGNAL SIGTERM" in text and "EXPOSE 8080" in text


def test_container_pins_match_the_project() -> None:
    container = pins((INFRA / "requirements.txt").read_text().splitlines())
    project = pins((ROOT / "pyproject.toml").read_text().splitlines())
    for name, version in container.items():
        expected = project.get(name) or metadata.version(name)  # starlette comes via fastapi
        assert version == expected, f"{name}: container {version}, project {expected}"


def _closure(names: list[str]) -> set[str]:
    """Top-level import names of these distributions and everything they require."""
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for raw in metadata.requires(name) or []:
            req = Requirement(raw)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(req.name.lower())
    modules = set()
    for module, dists in metadata.packages_distributions().items():
        if any(d.lower().replace("_", "-") in {s.replace("_", "-") for s in seen} for d in dists):
            modules.add(module)
    return modules


def test_the_pinned_requirements_are_enough_to_serve(registry_dir: Path) -> None:
    allowed = _closure(list(pins((INFRA / "requirements.txt").read_text().splitlines())))
    allowed |= {"core", "scoring"}
    script = textwrap.dedent(
        f"""
        import sys
        ALLOWED = {sorted(allowed)!r}
        STD = set(sys.stdlib_module_names)

        class Gate:
            def find_spec(self, name, path=None, target=None):
                top = name.split(".")[0]
                if top in STD or top in ALLOWED or top.startswith("_"):
                    return None
                raise ModuleNotFoundError(f"{{top}} is not in infra/scoring/requirements.txt")

        sys.meta_path.insert(0, Gate())
        from pathlib import Path
        from scoring.server.app import create_app
        from scoring.server.loading import load_state
        import uvicorn.protocols.http.httptools_impl
        state = load_state(Path({str(registry_dir)!r}))
        assert state.ready, state.reason
        row = dict.fromkeys(state.model.features)
        result = state.model.score([row], explain=True)[0]
        create_app(state)
        print(result.risk_tier, len(result.contributions))
        """
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         cwd=ROOT, timeout=120)  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    tier, n = run.stdout.split()
    assert tier in "ABCDE" and int(n) > 0
