"""cdk-nag suppressions, each with its reason, kept beside the resource that needs them."""

from __future__ import annotations

from cdk_nag import NagPackSuppression, NagSuppressions
from constructs import IConstruct


def accept(
    construct: IConstruct, reasons: dict[str, str], *, applies_to: list[str] | None = None
) -> None:
    """Suppress AwsSolutions rules on a construct (and its children), saying why for each."""
    NagSuppressions.add_resource_suppressions(
        construct,
        [
            NagPackSuppression(id=f"AwsSolutions-{rule}", reason=reason, applies_to=applies_to)
            for rule, reason in reasons.items()
        ],
        apply_to_children=True,
    )
