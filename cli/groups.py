"""Command groups that later work fills: scoring, knowledge base, evals, experiments, ops."""

from __future__ import annotations

import typer

scoring_app = typer.Typer(help="Credit-risk model lifecycle: data, EDA, CV, training, serving.")
kb_app = typer.Typer(help="Knowledge base: add, update, delete, reindex, search, evaluate.")
eval_app = typer.Typer(help="Run prompt and agent evaluations and write reports.")
experiments_app = typer.Typer(help="A/B experiments on prompts, offer presentation and UI.")
ops_app = typer.Typer(help="Operations: KPIs, query topics, alarm checks.")
