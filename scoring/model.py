"""Scoring results and the loaded model that produces them (what tools and servers call).

`LoadedModel.score` is the one hot path: encode dicts with numpy (no DataFrame), run the members
single-threaded for small batches, calibrate, tier, and on request attach SHAP contributions and
the top adverse-action reasons. It is safe to call from a server thread once loaded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, Field

from core.errors import ValidationFailed
from scoring.ensemble import FittedModel
from scoring.estimators import for_single_rows
from scoring.reasons import template_for
from scoring.tiers import RiskTier, risk_tier

MAX_REASONS = 4


class Reason(BaseModel):
    """One adverse-action factor: a feature that raised the probability of default."""

    code: str = Field(description="stable reason code, e.g. R01")
    text: str = Field(description="plain-language statement (ECOA / Reg B style)")
    feature: str = Field(description="input column the reason is about")
    contribution: float = Field(
        description="SHAP value: how much it raised the PD (probability points, 0..1)"
    )
    actionable: bool = Field(description="the applicant can change this factor")


class ScoreResult(BaseModel):
    """Probability of default for one applicant, its tier, and optionally why."""

    probability_of_default: float = Field(ge=0.0, le=1.0)
    risk_tier: RiskTier
    model_version: str
    decision: str = Field(
        description="'decline' if PD >= the model's cost-based threshold, else 'approve'"
    )
    reasons: list[Reason] | None = None
    contributions: dict[str, float] | None = Field(
        default=None, description="SHAP value per input feature (probability points)"
    )


@dataclass
class LoadedModel:
    """A registry model in memory; build with `scoring.registry.load_model` / `load_champion`."""

    model_id: str
    model: FittedModel
    metadata: dict[str, Any]
    path: Path

    def __post_init__(self) -> None:
        for m in self.model.members:
            for_single_rows(m.estimator)

    @property
    def features(self) -> list[str]:
        """Input columns a feature dict should carry (missing ones are imputed)."""
        return self.model.features

    @property
    def threshold(self) -> float:
        """PD at or above which the model's cost-based decision is 'decline'."""
        return self.model.threshold

    def score(self, rows: Sequence[Mapping[str, Any]], explain: bool = False) -> list[ScoreResult]:
        """Score feature dicts keyed by the training CSV's column names.

        Args:
            rows: one dict per applicant; extra keys are ignored, missing ones imputed.
            explain: attach per-feature contributions and up to four adverse-action reasons
                (the factors that raised the PD most, only those with a positive effect).

        Raises:
            ValidationFailed: if `rows` is empty or a row is not a mapping.
        """
        if not rows:
            raise ValidationFailed("no rows to score", field="rows")
        for r in rows:
            if not isinstance(r, Mapping):
                raise ValidationFailed("each row must be an object of feature values", field="rows")
        Z = self.model.encoder.transform_records(rows)
        contrib: np.ndarray | None = None
        if explain:
            raw, enc = self.model.explain(Z)
            pds = self.model.calibrator(raw)
            contrib = self.model.to_raw(enc)
        else:
            pds = self.model.predict_pd(Z)
        names = self.model.features
        out = []
        for i, p in enumerate(pds):
            pd_ = float(p)
            result = ScoreResult(
                probability_of_default=pd_,
                risk_tier=risk_tier(pd_),
                model_version=self.model_id,
                decision="decline" if pd_ >= self.model.threshold else "approve",
            )
            if contrib is not None:
                result.contributions = {n: float(v) for n, v in zip(names, contrib[i], strict=True)}
                result.reasons = top_reasons(contrib[i], names)
            out.append(result)
        return out


def top_reasons(values: np.ndarray, names: Sequence[str], k: int = MAX_REASONS) -> list[Reason]:
    """Map the k largest positive contributions to reason statements (one per reason code)."""
    order = np.argsort(-values, kind="stable")
    reasons: list[Reason] = []
    seen: set[str] = set()
    for j in order:
        v = float(values[j])
        if v <= 0 or len(reasons) >= k:
            break
        t = template_for(names[j])
        key = t.code if t.code != "R99" else f"R99:{names[j]}"  # generic reasons differ by feature
        if key in seen:
            continue
        seen.add(key)
        reasons.append(
            Reason(
                code=t.code,
                text=t.text,
                feature=names[j],
                contribution=round(v, 6),
                actionable=t.actionable,
            )
        )
    return reasons
