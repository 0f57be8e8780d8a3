"""One synthesis of the whole CDK app per test session (both stages, with cdk-nag).

aws_cdk is imported here and in these tests only, so the rest of the suite never pays for the
jsii runtime. Synthesis writes to a temp dir; nothing reaches AWS.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "1")
os.environ.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")

IMAGE_TAG = "0123456789abcdef0123456789abcdef01234567"


@dataclass
class Synth:
    """The synthesised app: templates and messages by stack name, and its output dir."""

    outdir: Path
    templates: dict[str, dict[str, Any]]
    messages: dict[str, list[tuple[str, str]]]
    template_files: dict[str, Path]

    def template(self, stage: str, stack: str) -> Any:
        """Return an `assertions.Template` for one stack of one stage."""
        from aws_cdk.assertions import Template

        return Template.from_json(self.templates[f"LoanAdvisor-{stage}-{stack}"])

    def resources(self, stage: str, stack: str, type_: str) -> dict[str, Any]:
        """Return one stack's resources of a CloudFormation type, by logical id."""
        body = self.templates[f"LoanAdvisor-{stage}-{stack}"]["Resources"]
        return {k: v for k, v in body.items() if v["Type"] == type_}


@pytest.fixture(scope="session")
def synth(tmp_path_factory: pytest.TempPathFactory) -> Synth:
    from infra.app import build_app

    outdir = tmp_path_factory.mktemp("cdk.out")
    assembly = build_app(image_tag=IMAGE_TAG, outdir=str(outdir), nag=True).synth()
    templates: dict[str, dict[str, Any]] = {}
    messages: dict[str, list[tuple[str, str]]] = {}
    files: dict[str, Path] = {}

    def walk(asm: Any) -> None:
        for stack in asm.stacks:
            templates[stack.stack_name] = stack.template
            files[stack.stack_name] = Path(stack.template_full_path)
            messages[stack.stack_name] = [(m.level.name, str(m.entry.data)) for m in stack.messages]
        for nested in asm.nested_assemblies:
            walk(nested.nested_assembly)

    walk(assembly)
    return Synth(outdir=outdir, templates=templates, messages=messages, template_files=files)


@pytest.fixture(params=["staging", "prod"])
def stage(request: pytest.FixtureRequest) -> str:
    return str(request.param)
