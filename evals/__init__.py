"""Evaluation datasets, evaluators, runner, reports and A/B analysis."""
