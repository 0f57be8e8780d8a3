"""Results of an experiment: exposures joined to outcomes, per-arm figures and a decision.

Only outcomes after a user's first exposure count (what happened before cannot be the arm's
doing). A winner is never called below the minimum sample, with a sample-ratio mismatch, or
while a guardrail is significantly harmed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from experiments.cuped import cuped_adjust
from experiments.definition import ExperimentDefinition, MetricDefinition
from experiments.stats import ArmSummary, Comparison, compare, sample_ratio_p_value, summarise
from experiments.store import Exposure

SRM_THRESHOLD = 0.001
Role = Literal["primary", "secondary", "guardrail"]
Verdict = Literal["keep_running", "ship", "keep_control", "no_difference", "stop_guardrail", "srm"]


class Outcome(BaseModel):
    """One outcome event of a user (from the event log): submitted, accepted, thumb, ..."""

    user_id: str
    event: str
    value: float = 1.0
    at: datetime


class ArmResult(BaseModel):
    """One arm's figure on one metric, and its comparison with control (None for control)."""

    arm: str
    users: int
    mean: float
    ci_low: float
    ci_high: float
    difference: float | None = None
    relative_lift: float | None = None
    diff_ci_low: float | None = None
    diff_ci_high: float | None = None
    p_value: float | None = None
    p_value_raw: float | None = Field(None, description="before the multiple-arm correction")
    chance_to_beat_control: float | None = None
    expected_loss: float | None = None
    significant: bool = False


class MetricResult(BaseModel):
    """Every arm on one metric."""

    metric: str
    role: Role
    kind: str
    direction: str
    arms: list[ArmResult]
    variance_reduction: float | None = Field(
        None, description="CUPED: share of the variance removed by the pre-exposure covariate"
    )
    p_adjustment: Literal["none", "holm"] = "none"


class ExperimentDecision(BaseModel):
    """What the figures support, in words a product owner can act on."""

    verdict: Verdict
    winner: str | None = None
    reason: str


class ExperimentResult(BaseModel):
    """Everything the staff page and the report show."""

    experiment_id: str
    control: str
    engine: Literal["fixed_horizon", "sequential"]
    alpha: float
    exposures: dict[str, int]
    srm_p_value: float
    srm_warning: bool
    min_sample_per_arm: int
    metrics: list[MetricResult]
    decision: ExperimentDecision
    notes: list[str] = Field(default_factory=list)


def per_user_values(
    metric: MetricDefinition,
    exposures: Sequence[Exposure],
    outcomes: Iterable[Outcome],
    *,
    before: bool = False,
) -> dict[str, list[float]]:
    """Return arm -> one value per exposed user (0 when they had no event after exposure).

    `before=True` counts the events before exposure instead (CUPED's covariate), in the same
    user order.
    """
    first_seen = {e.user_id: e.at for e in exposures}
    totals: dict[str, float] = defaultdict(float)
    for o in outcomes:
        seen = first_seen.get(o.user_id)
        if o.event == metric.event and seen is not None and (o.at < seen) == before:
            totals[o.user_id] += o.value
    out: dict[str, list[float]] = defaultdict(list)
    for e in exposures:
        v = totals.get(e.user_id, 0.0)
        out[e.arm].append(min(v, 1.0) if metric.kind == "binomial" else v)
    return out


def _compare(
    d: ExperimentDefinition, metric: MetricDefinition, c: ArmSummary, t: ArmSummary
) -> Comparison | None:
    if c.n < 2 or t.n < 2:
        return None
    tau = d.mde if d.sequential else None
    binomial = metric.kind == "binomial"
    r = compare(c, t, binomial=binomial, alpha=d.alpha, sequential_tau=tau)
    if metric.direction == "increase":
        return r
    # lower is better: the Bayesian summaries are taken on the negated metric
    neg = compare(replace(c, mean=-c.mean), replace(t, mean=-t.mean), binomial=False, alpha=d.alpha)
    return replace(
        r, chance_to_beat_control=neg.chance_to_beat_control, expected_loss=neg.expected_loss
    )


def _metric_result(
    d: ExperimentDefinition,
    metric: MetricDefinition,
    role: Role,
    values: dict[str, list[float]],
    pre: dict[str, list[float]] | None = None,
) -> MetricResult:
    """One metric's arms; with `pre` (CUPED) the comparisons use the adjusted values."""
    from scipy import stats

    z = float(stats.norm.ppf(1 - d.alpha / 2))
    compared, reduction = values, None
    if pre is not None:
        compared, fit = cuped_adjust(values, pre)
        reduction = fit.variance_reduction
    control = summarise(compared.get(d.control_arm, []))
    arms = []
    for arm in d.arms:
        s = summarise(values.get(arm.name, []))
        half = z * (s.variance / s.n) ** 0.5 if s.n else 0.0
        row = ArmResult(
            arm=arm.name, users=s.n, mean=s.mean, ci_low=s.mean - half, ci_high=s.mean + half
        )
        adjusted = summarise(compared.get(arm.name, []))
        r = None if arm.name == d.control_arm else _compare(d, metric, control, adjusted)
        if r is not None:
            row = row.model_copy(
                update={
                    "difference": r.difference,
                    "relative_lift": r.relative_lift,
                    "diff_ci_low": r.ci_low,
                    "diff_ci_high": r.ci_high,
                    "p_value": r.p_value,
                    "p_value_raw": r.p_value,
                    "chance_to_beat_control": r.chance_to_beat_control,
                    "expected_loss": r.expected_loss,
                    "significant": r.p_value < d.alpha,
                }
            )
        arms.append(row)
    result = MetricResult(
        metric=metric.name,
        role=role,
        kind=metric.kind,
        direction=metric.direction,
        arms=arms,
        variance_reduction=reduction,
    )
    return holm_corrected(result, d.alpha)


def holm_corrected(metric: MetricResult, alpha: float) -> MetricResult:
    """Correct the treatments' p-values for multiplicity (Holm) when there are two or more.

    Each treatment is a separate test against control; without a correction the chance that
    some arm looks significant by luck grows with the number of arms. Holm's step-down method
    (statsmodels `multipletests`) keeps the family-wise error at alpha and is never less
    powerful than Bonferroni.
    """
    from statsmodels.stats.multitest import multipletests

    tested = [i for i, a in enumerate(metric.arms) if a.p_value_raw is not None]
    if len(tested) < 2:
        return metric
    raw = [metric.arms[i].p_value_raw for i in tested]
    _, adjusted, _, _ = multipletests(raw, alpha=alpha, method="holm")
    arms = list(metric.arms)
    for i, p in zip(tested, adjusted, strict=True):
        arms[i] = arms[i].model_copy(update={"p_value": float(p), "significant": p < alpha})
    return metric.model_copy(update={"arms": arms, "p_adjustment": "holm"})


def _better(metric: MetricResult, row: ArmResult) -> bool:
    diff = row.difference or 0.0
    return diff > 0 if metric.direction == "increase" else diff < 0


def decide(d: ExperimentResult) -> ExperimentDecision:
    """Return the recommendation: guards first (SRM, sample, guardrails), then the primary."""
    if d.srm_warning:
        return ExperimentDecision(
            verdict="srm",
            reason=f"sample ratio mismatch (p={d.srm_p_value:.2g}): assignment or exposure"
            " logging is broken; no result can be trusted until it is fixed",
        )
    smallest = min(d.exposures.values(), default=0)
    if smallest < d.min_sample_per_arm:
        return ExperimentDecision(
            verdict="keep_running",
            reason=f"{smallest} users in the smallest arm; {d.min_sample_per_arm} needed",
        )
    for m in (m for m in d.metrics if m.role == "guardrail"):
        for row in m.arms:
            if row.significant and not _better(m, row):
                return ExperimentDecision(
                    verdict="stop_guardrail",
                    reason=f"{row.arm} harms guardrail {m.metric} (p={row.p_value:.2g})",
                )
    primary = next(m for m in d.metrics if m.role == "primary")
    wins = [r for r in primary.arms if r.significant and _better(primary, r)]
    if wins:
        best = max(wins, key=lambda r: r.chance_to_beat_control or 0.0)
        return ExperimentDecision(
            verdict="ship",
            winner=best.arm,
            reason=f"{best.arm} beats {d.control} on {primary.metric} by"
            f" {best.difference:+.4g} (p={best.p_value:.2g})",
        )
    if any(r.significant for r in primary.arms):
        return ExperimentDecision(
            verdict="keep_control",
            winner=d.control,
            reason=f"every other arm is significantly worse on {primary.metric}",
        )
    return ExperimentDecision(
        verdict="no_difference",
        reason=f"no significant difference on {primary.metric} at alpha={d.alpha}",
    )


def analyse(
    d: ExperimentDefinition, exposures: Sequence[Exposure], outcomes: Sequence[Outcome]
) -> ExperimentResult:
    """Return the experiment's results and decision from its exposures and outcome events."""
    counts = {a.name: 0 for a in d.arms}
    for e in exposures:
        counts[e.arm] = counts.get(e.arm, 0) + 1
    srm_p = sample_ratio_p_value([counts[a.name] for a in d.arms], [a.weight for a in d.arms])
    roles: list[tuple[Role, MetricDefinition]] = [("primary", d.primary_metric)]
    roles += [("secondary", m) for m in d.secondary_metrics]
    roles += [("guardrail", m) for m in d.guardrail_metrics]
    metrics = [
        _metric_result(
            d,
            m,
            role,
            per_user_values(m, exposures, outcomes),
            per_user_values(m, exposures, outcomes, before=True) if d.cuped else None,
        )
        for role, m in roles
    ]
    result = ExperimentResult(
        experiment_id=d.experiment_id,
        control=d.control_arm,
        engine="sequential" if d.sequential else "fixed_horizon",
        alpha=d.alpha,
        exposures=counts,
        srm_p_value=srm_p,
        srm_warning=srm_p < SRM_THRESHOLD,
        min_sample_per_arm=d.min_sample_per_arm,
        metrics=metrics,
        decision=ExperimentDecision(verdict="keep_running", reason="not decided"),
    )
    if len(d.arms) > 2:
        result.notes.append("more than one treatment: p-values are Holm-corrected")
    if d.cuped:
        result.notes.append("CUPED: comparisons adjusted by each user's pre-exposure value")
    return result.model_copy(update={"decision": decide(result)})
