"""Loan applications: submit (idempotent), read, list, status history, decision, withdraw."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Request, Response, status

from api.applications_service import public_decision, to_public
from api.deps import ServicesDep, UserDep
from api.schemas.applications import (
    ApplicationCreate,
    ApplicationPublic,
    DocumentProvided,
    StatusChangePublic,
    WithdrawBody,
)
from core.errors import NotFound
from core.ids import ID_PATTERN
from lending.schemas import Decision

router = APIRouter(prefix="/v1/applications", tags=["applications"])
ApplicationId = Annotated[
    str, Path(pattern=ID_PATTERN.pattern, description="id returned by POST /v1/applications")
]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=8,
        max_length=64,
        pattern=ID_PATTERN.pattern,
        description="client-chosen key; a retried submit with the same key returns the same"
        " application instead of creating another",
    ),
]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ApplicationPublic,
    operation_id="submitApplication",
    responses={
        200: {"description": "replay of an earlier submit with the same Idempotency-Key"},
        404: {"description": "thread_id names no conversation of the caller"},
        422: {"description": "invalid input, or the key was used for a different request"},
    },
)
def submit_application(
    body: ApplicationCreate,
    services: ServicesDep,
    user: UserDep,
    response: Response,
    request: Request,
    idempotency_key: IdempotencyKey = None,
) -> Any:
    """Submit an application; it is scored and decided at once (or waits if the model is down).

    `thread_id` links it to one of the caller's own conversations; anybody else's is 404.
    """
    if body.thread_id is not None:
        thread = services.repos.threads.get(body.thread_id)
        if thread is None or thread.owner != user.user_id:
            raise NotFound(f"no conversation {body.thread_id!r}", field="thread_id")
    done = services.applications.submit(
        user.user_id,
        body.profile,
        body.request,
        idempotency_key=idempotency_key,
        thread_id=body.thread_id,
    )
    record = done.record
    if done.created:
        outcome = str((record.decision or {}).get("outcome", "pending"))
        request.app.state.metrics.application_submitted("form", outcome)
    else:
        response.status_code = status.HTTP_200_OK
        response.headers["Idempotent-Replayed"] = "true"
    return to_public(record, services.applications)


@router.get("", response_model=list[ApplicationPublic], operation_id="listApplications")
def list_applications(
    services: ServicesDep,
    user: UserDep,
    limit: Annotated[int, Query(ge=1, le=200, description="most recent N")] = 50,
) -> Any:
    """List the caller's applications, newest first."""
    return [
        to_public(r, services.applications)
        for r in services.repos.applications.list_for(user.user_id, limit)
    ]


@router.get("/{application_id}", response_model=ApplicationPublic, operation_id="getApplication")
def get_application(application_id: ApplicationId, services: ServicesDep, user: UserDep) -> Any:
    """Read one application (the caller's own; staff may read any)."""
    return to_public(
        services.applications.owned(user.user_id, application_id, staff=user.is_staff),
        services.applications,
    )


@router.get(
    "/{application_id}/history",
    response_model=list[StatusChangePublic],
    operation_id="getApplicationHistory",
)
def get_history(application_id: ApplicationId, services: ServicesDep, user: UserDep) -> Any:
    """Return the status history, oldest first."""
    record = services.applications.owned(user.user_id, application_id, staff=user.is_staff)
    return to_public(record, services.applications).history


@router.get(
    "/{application_id}/decision", response_model=Decision, operation_id="getApplicationDecision"
)
def get_decision(application_id: ApplicationId, services: ServicesDep, user: UserDep) -> Any:
    """Return the decision with every reason; 404 while the decision is pending."""
    record = services.applications.owned(user.user_id, application_id, staff=user.is_staff)
    decision = public_decision(record)
    if decision is None:
        raise NotFound("the decision on this application is still pending", field="decision")
    return decision


@router.post(
    "/{application_id}/withdraw",
    response_model=ApplicationPublic,
    operation_id="withdrawApplication",
    responses={409: {"description": "the application can no longer be withdrawn"}},
)
def withdraw(
    application_id: ApplicationId,
    services: ServicesDep,
    user: UserDep,
    body: WithdrawBody | None = None,
) -> Any:
    """Withdraw the caller's application.

    Not once declined or withdrawn; an accepted offer only within the policy's cooling-off
    period after acceptance.
    """
    services.applications.owned(user.user_id, application_id)
    record = services.applications.withdraw(
        application_id, user.user_id, body.reason if body else ""
    )
    return to_public(record, services.applications)


@router.post(
    "/{application_id}/documents",
    response_model=ApplicationPublic,
    operation_id="provideApplicationDocument",
    responses={
        404: {"description": "no such application, or the file is not the caller's"},
        409: {"description": "the application no longer takes documents"},
        422: {"description": "the decision does not ask for that document"},
    },
)
def provide_document(
    application_id: ApplicationId, body: DocumentProvided, services: ServicesDep, user: UserDep
) -> Any:
    """Mark a document a conditional approval asks for as provided (optionally its upload).

    Once every listed document is in, the application's offers can be accepted; until then
    `accept_blocked` says which are still needed and accepting is refused (409).
    """
    services.applications.owned(user.user_id, application_id)
    record = services.applications.provide_document(
        application_id, user.user_id, body.name, body.document_id
    )
    return to_public(record, services.applications)
