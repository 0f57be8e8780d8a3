"""AWS CDK app that deploys Loan Advisor: one construct per unit, composed by stacks, per stage.

Nothing at run time imports this package (an import-linter contract says so); it is read by
`cdk synth` (see `cdk.json`) and by the synth tests in `tests/unit/infra/`.
"""
