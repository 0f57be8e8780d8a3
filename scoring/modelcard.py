"""Render the per-model card (markdown) stored in the registry beside the model."""

from __future__ import annotations

from typing import Any

from scoring.fairness import fairness_markdown


def render_model_card(meta: dict[str, Any], fairness: dict[str, Any] | None) -> str:
    """Return the model card for one registered model from its metadata."""
    m = meta["metrics"]
    cv = meta["cv"]
    rows = "\n".join(
        f"| {name} | {v['roc_auc_mean']} ± {v['roc_auc_sd']} "
        f"| {v['brier_mean']} ± {v['brier_sd']} |"
        for name, v in cv["models"].items()
    )
    top = list(meta.get("global_importance", {}).items())[:8]
    imp = "\n".join(f"| {k} | {v} |" for k, v in top)
    spec = meta["spec"]
    no_fair = "No fairness report (no protected attribute or age column in the data)."
    fair = fairness_markdown(fairness) if fairness else no_fair
    source = (
        "synthetic data from scoring/generator.py"
        if "generated" in meta["data_path"]
        else "the file above"
    )
    dropped = ", ".join(f"{k} ({v})" for k, v in meta["dropped"].items()) or "none"
    return f"""# Model card — {meta["model_id"]}

## Overview
- Task: probability that an applicant is `{spec["positive"]}` (target `{spec["target"]}`),
  read as probability of default (PD); tiers A–E by PD (scoring/tiers.py).
- Selected model: **{cv["selected"]}** (members: {", ".join(x["family"] for x in meta["members"])}),
  calibration: {meta["calibration"]}, decision threshold {meta["threshold"]} for cost ratio
  {meta["cost_ratio"]} (approving a default costs {meta["cost_ratio"]}× declining a good applicant).
- Created {meta["created_at"]}; code version `{meta["code_version"]}`; data `{meta["data_path"]}`
  (sha256 `{meta["data_hash"][:16]}…`, {meta["n_rows"]} rows).

## Inputs
Features ({len(meta["features"])}): {", ".join(meta["features"])}.
Left out: {dropped}.

## Cross-validation ({cv["folds"]}-fold stratified, seed {cv["seed"]}, training split)
| model | ROC-AUC | Brier |
|---|---|---|
{rows}

## Held-out test split ({m["n"]} rows)
accuracy {m["accuracy"]}, precision {m["precision"]}, recall {m["recall"]}, F1 {m["f1"]},
ROC-AUC {m["roc_auc"]}, PR-AUC {m["pr_auc"]}, Brier {m["brier"]}.
Plots: plots/roc.png, plots/pr.png, plots/calibration.png, plots/shap_importance.png.

## Most influential features (mean |SHAP|, probability points)
| feature | mean abs SHAP |
|---|---|
{imp}

## Fairness
{fair}

## Intended use and limits
Decision support for loan pricing and approval under the lending policy; a person reviews every
decline. Adverse-action reasons come from SHAP values of this model. Trained on
{source};
performance on a different population must be re-validated before use.
"""
