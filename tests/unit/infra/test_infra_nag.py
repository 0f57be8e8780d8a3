"""cdk-nag (AwsSolutions) and cfn-lint on the synthesised templates."""

from __future__ import annotations


def test_no_unsuppressed_aws_solutions_findings(synth):
    findings = [
        (stack, text[:200])
        for stack, messages in synth.messages.items()
        for level, text in messages
        if level == "ERROR" and "AwsSolutions-" in text
    ]
    assert not findings, "\n".join(f"{s}: {t}" for s, t in findings)


def test_cfn_lint_finds_no_errors(synth):
    """Lint prod's templates and the registry's: staging's differ only in sizes and names,
    and cfn-lint costs ~10 s a template."""
    from cfnlint.api import ManualArgs, lint

    failures = []
    for name, path in synth.template_files.items():
        if name.startswith("LoanAdvisor-staging-"):
            continue
        matches = lint(path.read_text(), config=ManualArgs(regions=["eu-west-1"]))
        errors = [m for m in matches if str(m.rule.id).startswith("E")]
        failures += [f"{name}: {m}" for m in errors]
    assert not failures, "\n".join(failures)


def test_every_suppression_says_why(synth):
    """Each cdk-nag suppression is an AwsSolutions rule with a reason a reviewer can judge."""
    suppressions = [
        (stack, logical_id, rule)
        for stack, template in synth.templates.items()
        for logical_id, resource in template.get("Resources", {}).items()
        for rule in resource.get("Metadata", {}).get("cdk_nag", {}).get("rules_to_suppress", [])
    ]
    assert suppressions
    for stack, logical_id, rule in suppressions:
        assert rule["id"].startswith("AwsSolutions-"), (stack, logical_id, rule)
        assert len(rule["reason"].split()) >= 6, (stack, logical_id, rule)
