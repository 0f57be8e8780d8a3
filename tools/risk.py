"""Adapt a scoring model (scoring.model.LoadedModel or a remote client) to `RiskScorer`."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Protocol

from core.errors import NotFound, UpstreamUnavailable
from lending.schemas import ApplicantProfile, LoanRequest, RiskAssessment
from tools.features import to_features


class RowScorer(Protocol):
    """Anything that scores feature rows the way `LoadedModel.score` does."""

    def score(self, rows: list[dict[str, Any]], explain: bool = False) -> list[Any]:
        """Return one result (probability_of_default, risk_tier, model_version, reasons)."""
        ...


class ModelRiskScorer:
    """Score one applicant with a loaded credit model, keeping its adverse-action reasons."""

    def __init__(self, model: RowScorer) -> None:
        self._model = model

    def assess(self, profile: ApplicantProfile, request: LoanRequest) -> RiskAssessment:
        """Return the model's assessment of this applicant and request."""
        result = self._model.score([to_features(profile, request)], explain=True)[0]
        reasons = [str(getattr(r, "text", r)) for r in (result.reasons or [])]
        return RiskAssessment(
            probability_of_default=float(result.probability_of_default),
            risk_tier=result.risk_tier,
            model_version=str(result.model_version),
            reasons=reasons,
        )


class LazyRiskScorer:
    """Load the model on first use, so the app starts (and says why) before a model exists."""

    def __init__(self, load: Callable[[], RowScorer]) -> None:
        self._load = load
        self._scorer: ModelRiskScorer | None = None
        self._lock = threading.Lock()

    def assess(self, profile: ApplicantProfile, request: LoanRequest) -> RiskAssessment:
        """Return the model's assessment; raises UpstreamUnavailable when there is no model."""
        if self._scorer is None:
            with self._lock:
                if self._scorer is None:
                    try:
                        self._scorer = ModelRiskScorer(self._load())
                    except NotFound as exc:
                        raise UpstreamUnavailable(
                            f"the credit model is not available yet ({exc.message})"
                        ) from exc
        return self._scorer.assess(profile, request)
