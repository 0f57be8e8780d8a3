"""Application tools: score, submit (decide + offers), re-price, explain, status.

Thin adapters over the application service. The application a tool works on is the one of
the conversation it runs in (the run context's thread and user, never an argument the model
could fill with somebody else's id), and every result carries the stored application's
snapshot, so the thread's view is always the record's.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Annotated, Any

from langchain.tools import ToolRuntime
from langchain_core.messages import HumanMessage
from langchain_core.tools import BaseTool, tool
from pydantic import Field

from applications.decisions import public_decision
from applications.snapshot import ThreadApplication
from core.errors import NotFound, UpstreamUnavailable
from lending.improvement import improvement_suggestions
from lending.schemas import ApplicantProfile, LoanRequest
from storage.records import ApplicationRecord
from tools.context import RunContext
from tools.ports import ToolDeps

Runtime = ToolRuntime[RunContext]
__all__ = ["ThreadApplication", "build_application_tools", "current_application"]


def current_application(deps: ToolDeps, runtime: Runtime) -> ApplicationRecord:
    """Return this conversation's stored application (its owner must be the caller).

    The thread's state names it; if a crash lost that (the application was stored, the
    turn was not), the service finds it by the thread id.
    """
    ctx = runtime.context
    state = runtime.state if isinstance(runtime.state, dict) else {}
    known = state.get("application")
    if isinstance(known, ThreadApplication):
        return deps.applications.owned(ctx.user_id, known.application_id)
    found = deps.applications.for_thread(ctx.user_id, ctx.thread_id)
    if found is None:
        raise NotFound("there is no application in this conversation yet", field="application")
    return found


def offers_json(deps: ToolDeps, application_id: str) -> list[dict[str, Any]]:
    """Return the stored offers as tool output, numbered as the applicant picks them."""
    return [
        offer_json(str(i), o.offer_id, o.status, o.terms)
        for i, o in enumerate(deps.applications.offers(application_id), start=1)
    ]


def offer_json(option: str, offer_id: str, status: str, terms: dict[str, Any]) -> dict[str, Any]:
    """Return one offer as tool output: its option number, stored id, status and figures."""
    figures = {k: v for k, v in terms.items() if k != "versions"}
    return {"offer_id": option, "offer_ref": offer_id, "status": status, **figures}


def application_json(deps: ToolDeps, record: ApplicationRecord) -> dict[str, Any]:
    """Return a decided application as tool output, with the snapshot the thread keeps."""
    decision = public_decision(record)
    suggestions: list[dict[str, Any]] = []
    if decision is not None and decision.outcome in ("declined", "referred"):
        profile, request, _ = deps.applications.decision_inputs(record)
        found = improvement_suggestions(profile, request, deps.scorer.assess, deps.policy)
        suggestions = [s.model_dump(mode="json") for s in found]
    snapshot = deps.applications.snapshot(record.application_id)
    return {
        "application_id": record.application_id,
        "status": record.status.value,
        "decision": decision.model_dump(mode="json") if decision else None,
        "offers": offers_json(deps, record.application_id),
        "suggestions": suggestions,
        "request": {"product": snapshot.product},
        "snapshot": snapshot.model_dump(mode="json"),
    }


def submission_key(thread_id: str, runtime: Runtime) -> str:
    """Return the idempotency key of a chat submission: the thread and its turn number.

    A turn cut off by a crash is not checkpointed, so the resent message has the same turn
    number and the submission replays instead of creating a second application.
    """
    messages = runtime.state.get("messages", []) if isinstance(runtime.state, dict) else []
    turn = sum(1 for m in messages if isinstance(m, HumanMessage))
    digest = hashlib.sha256(thread_id.encode()).hexdigest()[:40]
    return f"chat-{digest}-t{turn}"


def build_application_tools(deps: ToolDeps) -> list[BaseTool]:
    """Return the application tools bound to `deps`."""

    @tool
    def score_applicant(profile: ApplicantProfile, request: LoanRequest) -> dict[str, Any]:
        """Estimate the applicant's credit risk: probability of default and risk tier A-E.

        Use only when the applicant asks how risky they look; to get a decision and offers
        call submit_application instead (it scores too). Never state a probability yourself.
        """
        return deps.scorer.assess(profile, request).model_dump(mode="json")

    @tool
    def submit_application(
        profile: ApplicantProfile, request: LoanRequest, runtime: Runtime
    ) -> dict[str, Any]:
        """Submit the application: score it, decide, and return the offers we can make.

        Call this only after the applicant confirmed every detail. The result holds the
        outcome (approved, conditionally_approved, referred, declined), the reasons, the
        documents needed, numbered offers, and suggestions when declined. Present exactly
        these figures; never compute payments or rates yourself.
        """
        ctx = runtime.context
        done = deps.applications.submit(
            ctx.user_id,
            profile,
            request,
            idempotency_key=submission_key(ctx.thread_id, runtime),
            thread_id=ctx.thread_id,
        )
        if done.record.decision is None:
            raise UpstreamUnavailable(
                f"the credit model is not available right now; application "
                f"{done.record.application_id} is saved and will be decided once it is back"
            )
        out = application_json(deps, done.record)
        if deps.events is not None and done.created:
            deps.events.record(
                "submitted", ctx.thread_id, {"application_id": out["application_id"]}
            )
        return out

    @tool
    def make_offers(
        runtime: Runtime,
        amount: Annotated[float | None, Field(gt=0, le=10_000_000, description="USD")] = None,
        tenure_months: Annotated[int | None, Field(ge=1, le=600, description="months")] = None,
    ) -> dict[str, Any]:
        """Re-decide this application on a new amount and/or term: outcome and numbered offers.

        The credit model scores the new terms; the new offers replace the earlier ones.

        Use when the applicant wants to see offers for a different amount or term as a new
        request rather than a counter-offer on an existing option.
        """
        record = current_application(deps, runtime)
        updated, _ = deps.applications.reprice(
            record.application_id,
            runtime.context.user_id,
            amount=None if amount is None else Decimal(str(amount)),
            tenure_months=tenure_months,
        )
        return application_json(deps, updated)

    @tool
    def explain_decision(runtime: Runtime) -> dict[str, Any]:
        """Explain the decision on this conversation's application: reasons and what would help.

        Use when the applicant asks why they were declined or referred, why their rate is
        what it is, or how to improve their chances.
        """
        record = current_application(deps, runtime)
        decision = public_decision(record)
        if decision is None:
            raise NotFound("the decision on this application is still pending", field="decision")
        out = application_json(deps, record)
        return {
            "application_id": record.application_id,
            "outcome": decision.outcome,
            "product": decision.product,
            "risk_tier": decision.risk_tier,
            "reasons": [r.model_dump(mode="json") for r in decision.reasons],
            "suggestions": out["suggestions"],
            "model_version": decision.versions.model_version,
            "policy_version": decision.versions.policy_version,
            "snapshot": out["snapshot"],
        }

    @tool
    def application_status(runtime: Runtime) -> dict[str, Any]:
        """Return the status of this conversation's application (only the applicant's own)."""
        try:
            record = current_application(deps, runtime)
        except NotFound:
            return {"application_id": None, "status": "none"}
        snapshot = deps.applications.snapshot(record.application_id)
        return {
            "application_id": record.application_id,
            "status": record.status.value,
            "product": snapshot.product,
            "accepted_offer_id": snapshot.accepted_offer_id,
            # A conditional approval: what is still needed before an offer can be accepted.
            "documents": [d.model_dump(mode="json") for d in deps.applications.documents(record)],
            "accept_blocked": deps.applications.accept_blocked(record),
            "snapshot": snapshot.model_dump(mode="json"),
        }

    return [score_applicant, submit_application, make_offers, explain_decision, application_status]
