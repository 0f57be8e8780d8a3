"""The CDK app: the registry stack and one stage per entry of `stages.yaml`.

`cdk synth -c image_tag=<sha>` (run from `infra/`) names the images to deploy; CI passes the
commit it built. `-c stages=staging` limits synthesis to some stages.
"""

from __future__ import annotations

from pathlib import Path

import aws_cdk as cdk

from infra.config import CONFIG_PATH, load_config
from infra.registry import RegistryStack
from infra.stage import LoanAdvisorStage


def build_app(
    *,
    config_path: Path = CONFIG_PATH,
    image_tag: str | None = None,
    stages: list[str] | None = None,
    outdir: str | None = None,
    nag: bool | None = None,
) -> cdk.App:
    """Build (not synthesise) the app; the synth tests call this with a temp `outdir`.

    With `nag` (or `-c nag=true`) the cdk-nag AwsSolutions checks run at synthesis; their
    findings become error annotations, and each suppression in the units carries its reason.
    """
    app = cdk.App(outdir=outdir) if outdir else cdk.App()
    infra = load_config(config_path)
    tag = image_tag or app.node.try_get_context("image_tag")
    if not tag:
        raise ValueError("image_tag: pass -c image_tag=<commit sha> (the images CI pushed)")
    wanted = stages or _context_list(app.node.try_get_context("stages")) or list(infra.stages)
    unknown = sorted(set(wanted) - set(infra.stages))
    if unknown:
        raise ValueError(f"stages: unknown stage(s) {', '.join(unknown)}")
    scopes: list[cdk.Stack | cdk.Stage] = []
    registry = RegistryStack(
        app,
        "LoanAdvisorRegistry",
        infra=infra,
        env=cdk.Environment(account=infra.registry_account, region=infra.registry_region),
    )
    scopes.append(registry)
    for name in wanted:
        scopes.append(
            LoanAdvisorStage(
                app,
                f"LoanAdvisor-{name}",
                config=infra.stages[name],
                infra=infra,
                image_tag=str(tag),
            )
        )
    if nag or (nag is None and str(app.node.try_get_context("nag")).lower() == "true"):
        from cdk_nag import AwsSolutionsChecks

        # Per scope: aspects added to the app do not reach into stages.
        for scope in scopes:
            cdk.Aspects.of(scope).add(AwsSolutionsChecks(verbose=True))
    return app


def _context_list(value: object) -> list[str]:
    return [s for s in str(value).split(",") if s] if value else []


def main() -> None:
    """Synthesise into `cdk.out` (the `app` command of `cdk.json`)."""
    build_app().synth()


if __name__ == "__main__":
    main()
