"""Signed-in users: which arm of each UI experiment (chat layout, offer presentation) they see.

The arms come from a hash of the user id (agent/experiments.py), so a user sees the same layout
on every device and visit without any stored assignment. Each read records an exposure per
experiment in the event log; the staff experiments view counts them.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from agent.experiments import UI_EXPERIMENTS, UI_EXPOSURE, assign_ui_variants
from api.deps import ServicesDep, UserDep

router = APIRouter(prefix="/v1/experiments", tags=["experiments"])


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


@router.get("/assignment", response_model=ExperimentAssignment, operation_id="readAssignment")
def read_assignment(services: ServicesDep, user: UserDep) -> Any:
    """Return the caller's UI experiment arms (stable per user) and record the exposure."""
    variants = assign_ui_variants(user.user_id)
    ids = {e.name: e.experiment_id for e in UI_EXPERIMENTS}
    for name, value in variants.items():
        exposure = {"experiment_id": ids[name], "experiment": name, "variant": value}
        services.repos.events.record(UI_EXPOSURE, None, {**exposure, "user": user.user_id})
    return ExperimentAssignment(variants=UiVariants.model_validate(variants), experiment_ids=ids)
