"""A/B experiments over HTTP: users' arms and exposures, outcome events, and the staff console.

Signed-in users read their UI arms (stable per user), report that they are seeing an
experiment's surface (the exposure, recorded once) and report outcomes only the web app sees.
Staff create versions from YAML, start, stop and archive them and read the analysis. A running
version's arms are fixed: saving different ones is a 409 (start a new version instead).
"""

from __future__ import annotations

from functools import cache
from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from agent.experiments import UI_EXPERIMENTS, UI_EXPOSURE, assign_ui_variants
from api.deps import ServicesDep, StaffDep, UserDep
from core.errors import ValidationFailed
from experiments.analysis import ExperimentResult, analyse
from experiments.assignment import assign
from experiments.definition import ExperimentDefinition, parse_definition, validate_definition
from experiments.outcomes import CLIENT_EVENTS, CLIENT_OUTCOME, collect_outcomes

router = APIRouter(prefix="/v1/experiments", tags=["experiments"])

UI_SURFACES = {"chat_layout": "ui_layout", "offer_presentation": "offer_presentation"}
"""UiVariants field -> the experiment surface that drives it."""
UI_VALUES = {"ui_layout": {"panel", "floating"}, "offer_presentation": {"cards", "table"}}
"""ArmDefinition names the web app understands per UI surface (frontend/src/experiments)."""


class UiVariants(BaseModel):
    """The arm of each UI experiment for this user."""

    chat_layout: Literal["panel", "floating"] = Field(
        description="the advisor chat as a side panel on every page, or a floating button"
    )
    offer_presentation: Literal["cards", "table"] = Field(
        description="offers as cards, or as a table with one column per offer"
    )


class ExperimentAssignment(BaseModel):
    """The caller's UI experiment arms and the experiment ids their exposures are recorded under."""

    variants: UiVariants
    experiment_ids: dict[str, str] = Field(description="experiment name -> id (name/vN)")


class ExposureRead(BaseModel):
    """The caller's arm of one experiment, and whether this call was their first exposure."""

    experiment_id: str
    arm: str
    in_experiment: bool = Field(description="False: holdout, not targeted or not running")
    first_exposure: bool


class OutcomeCreate(BaseModel):
    """An outcome only the web app sees (application started, offer viewed, a thumb, ...)."""

    event: str = Field(
        description=f"one of {', '.join(CLIENT_EVENTS)}",
        json_schema_extra={"enum": list(CLIENT_EVENTS)},  # the schema lists what is accepted
    )
    value: float = Field(1.0, ge=0, le=1_000_000)


class ExperimentCreate(BaseModel):
    """A new experiment version: the YAML text (as in experiments/definitions/) or an object."""

    definition: str | dict[str, Any]


class ExperimentPublic(BaseModel):
    """One stored experiment version."""

    experiment_id: str
    definition: ExperimentDefinition


def _public(d: ExperimentDefinition) -> ExperimentPublic:
    return ExperimentPublic(experiment_id=d.experiment_id, definition=d)


@router.get("/assignment", response_model=ExperimentAssignment, operation_id="readAssignment")
def read_assignment(services: ServicesDep, user: UserDep) -> Any:
    """Return the caller's UI experiment arms (stable per user) and record the exposure."""
    variants = assign_ui_variants(user.user_id)
    ids = {e.name: e.experiment_id for e in UI_EXPERIMENTS}
    store = services.experiments
    for name, surface in UI_SURFACES.items():
        running = [
            d
            for d in (store.running(surface) if store is not None else [])
            if {a.name for a in d.arms} <= UI_VALUES[surface]  # the CLI does not check arms
        ]
        if running:  # a staff-run experiment replaces the built-in split
            got = assign(running[0], user.user_id, {"role": user.role})
            variants[name], ids[name] = got.arm, got.experiment_id
            if got.in_experiment and surface == "ui_layout":  # the layout shows at once
                store.expose(got.experiment_id, user.user_id, got.arm)
    for name, value in variants.items():
        exposure = {"experiment_id": ids[name], "experiment": name, "variant": value}
        services.repos.events.record(UI_EXPOSURE, None, {**exposure, "user": user.user_id})
    return ExperimentAssignment(variants=UiVariants.model_validate(variants), experiment_ids=ids)


@router.post("/events", status_code=204, operation_id="recordOutcome")
def record_outcome(body: OutcomeCreate, services: ServicesDep, user: UserDep) -> None:
    """Record an outcome of the caller (joined to their exposures by the analysis)."""
    if body.event not in CLIENT_EVENTS:
        raise ValidationFailed(f"event must be one of {', '.join(CLIENT_EVENTS)}", field="event")
    payload = {"user": user.user_id, "event": body.event, "value": body.value}
    services.repos.events.record(CLIENT_OUTCOME, None, payload)


@router.post("/{key}/exposure", response_model=ExposureRead, operation_id="recordExposure")
def record_exposure(key: str, services: ServicesDep, user: UserDep) -> Any:
    """Return the caller's arm of the running `key` and record that they see it (once)."""
    running = [d for d in services.experiments.running() if d.key == key]
    definition = running[0] if running else services.experiments.get(key)
    got = assign(definition, user.user_id, {"role": user.role})
    first = got.in_experiment and services.experiments.expose(
        got.experiment_id, user.user_id, got.arm
    )
    return ExposureRead(
        experiment_id=got.experiment_id,
        arm=got.arm,
        in_experiment=got.in_experiment,
        first_exposure=bool(first),
    )


@router.get("", response_model=list[ExperimentPublic], operation_id="listExperiments")
def list_experiments(services: ServicesDep, staff: StaffDep, archived: bool = False) -> Any:
    """Return the newest version of every experiment (staff)."""
    return [_public(d) for d in services.experiments.latest(archived)]


@router.post("", response_model=ExperimentPublic, status_code=201, operation_id="createExperiment")
def create_experiment(body: ExperimentCreate, services: ServicesDep, staff: StaffDep) -> Any:
    """Store a draft version (or replace a draft); a running version's arms are a 409 (staff)."""
    raw = body.definition
    definition = parse_definition(raw) if isinstance(raw, str) else validate_definition(raw)
    allowed = UI_VALUES.get(definition.surface)
    if allowed is not None and not {a.name for a in definition.arms} <= allowed:
        raise ValidationFailed(
            f"arms of a {definition.surface} experiment must be among {sorted(allowed)}",
            field="arms",
        )
    return _public(services.experiments.save(definition))


@router.get("/{key}", response_model=ExperimentPublic, operation_id="readExperiment")
def read_experiment(
    key: str, services: ServicesDep, staff: StaffDep, version: int | None = None
) -> Any:
    """Return one version (default the newest) (staff)."""
    return _public(services.experiments.get(key, version))


@router.post(
    "/{key}/versions/{version}/{action}",
    response_model=ExperimentPublic,
    operation_id="transitionExperiment",
)
def transition_experiment(
    key: str,
    version: int,
    action: Literal["start", "stop", "archive"],
    services: ServicesDep,
    staff: StaffDep,
) -> Any:
    """Start, stop or archive a version; an illegal move is a 409 (staff)."""
    return _public(services.experiments.transition(key, version, action))


@router.get("/{key}/results", response_model=ExperimentResult, operation_id="experimentResults")
def experiment_results(
    key: str, services: ServicesDep, staff: StaffDep, version: int | None = None
) -> Any:
    """Return per-arm figures with intervals, the SRM check and the decision (staff)."""
    definition = services.experiments.get(key, version)
    exposures = services.experiments.exposures(definition.experiment_id)

    @cache
    def owner_of(thread_id: str) -> str | None:
        thread = services.repos.threads.get(thread_id)
        return thread.owner if thread is not None else None

    outcomes = collect_outcomes(services.repos.events, owner_of)
    return analyse(definition, exposures, outcomes)
