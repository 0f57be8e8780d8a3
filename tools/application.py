"""Application tools: score, submit (decide + offers), explain, status.

The current application lives in the conversation's state (persisted by the
checkpointer) and is injected into the tools that need it, so a tool can only
ever see the application of the thread it runs in: there is no argument through
which the model could name somebody else's.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from langchain_core.runnables import RunnableConfig
from langchain_core.tools import BaseTool, tool
from langgraph.prebuilt import InjectedState
from pydantic import Field

from core.errors import NotFound
from lending.improvement import improvement_suggestions
from lending.schemas import ApplicantProfile, LoanRequest, Offer, OfferSet, RiskAssessment
from tools.ports import ToolDeps
from tools.underwriting import Underwriter

CurrentApplication = Annotated[dict[str, Any] | None, InjectedState("application")]


def offer_json(offer: Offer, offer_id: str) -> dict[str, Any]:
    """Return an offer as tool output, with the id the applicant uses to pick it."""
    return {"offer_id": offer_id, **offer.model_dump(mode="json", exclude={"versions"})}


def require_application(application: dict[str, Any] | None) -> dict[str, Any]:
    """Return the thread's application or explain that there is none yet."""
    if not application or "application_id" not in application:
        raise NotFound("there is no application in this conversation yet", field="application")
    return application


def restore(application: dict[str, Any]) -> tuple[ApplicantProfile, LoanRequest, RiskAssessment]:
    """Rebuild the domain inputs an application was decided on."""
    return (
        ApplicantProfile.model_validate(application["profile"]),
        LoanRequest.model_validate(application["request"]),
        RiskAssessment.model_validate(application["risk"]),
    )


def _thread(config: RunnableConfig | None) -> str | None:
    return (config or {}).get("configurable", {}).get("thread_id")


def application_payload(
    application_id: str,
    profile: ApplicantProfile,
    request: LoanRequest,
    risk: RiskAssessment,
    offer_set: OfferSet,
    deps: ToolDeps,
) -> dict[str, Any]:
    """Return the tool output for a decided application (also what the state keeps)."""
    decision = offer_set.decision
    suggestions: list[dict[str, Any]] = []
    if decision.outcome in ("declined", "referred"):
        found = improvement_suggestions(profile, request, deps.scorer.assess, deps.policy)
        suggestions = [s.model_dump(mode="json") for s in found]
    return {
        "application_id": application_id,
        "status": decision.outcome,
        "decision": decision.model_dump(mode="json"),
        "offers": [offer_json(o, str(i)) for i, o in enumerate(offer_set.offers, start=1)],
        "suggestions": suggestions,
        "note": offer_set.note,
        "profile": profile.model_dump(mode="json"),
        "request": request.model_dump(mode="json"),
        "risk": risk.model_dump(mode="json"),
    }


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
        profile: ApplicantProfile, request: LoanRequest, config: RunnableConfig
    ) -> dict[str, Any]:
        """Submit the application: score it, decide, and return the offers we can make.

        Call this only after the applicant confirmed every detail. The result holds the
        outcome (approved, conditionally_approved, referred, declined), the reasons, the
        documents needed, numbered offers, and suggestions when declined. Present exactly
        these figures; never compute payments or rates yourself.
        """
        done = Underwriter(deps.scorer, deps.policy).underwrite(profile, request)
        payload = application_payload(
            deps.make_id("app"), profile, request, done.risk, done.offer_set, deps
        )
        if deps.events is not None:
            deps.events.record("submitted", _thread(config), payload)
        return payload

    @tool
    def make_offers(
        application: CurrentApplication,
        config: RunnableConfig,
        amount: Annotated[float | None, Field(gt=0, le=10_000_000, description="USD")] = None,
        tenure_months: Annotated[int | None, Field(ge=1, le=600, description="months")] = None,
    ) -> dict[str, Any]:
        """Re-decide this application on a new amount and/or term: outcome and numbered offers.

        The credit model scores the new terms.

        Use when the applicant wants to see offers for a different amount or term as a new
        request rather than a counter-offer on an existing option.
        """
        app = require_application(application)
        profile, request, _ = restore(app)
        terms, done = Underwriter(deps.scorer, deps.policy).reprice(
            profile,
            request,
            amount=None if amount is None else Decimal(str(amount)),
            tenure_months=tenure_months,
        )
        payload = application_payload(
            app["application_id"], profile, terms, done.risk, done.offer_set, deps
        )
        if deps.events is not None:
            deps.events.record("repriced", _thread(config), payload)
        return payload

    @tool
    def explain_decision(application: CurrentApplication) -> dict[str, Any]:
        """Explain the decision on this conversation's application: reasons and what would help.

        Use when the applicant asks why they were declined or referred, why their rate is
        what it is, or how to improve their chances.
        """
        app = require_application(application)
        decision = app["decision"]
        return {
            "application_id": app["application_id"],
            "outcome": decision["outcome"],
            "product": decision["product"],
            "risk_tier": decision["risk_tier"],
            "reasons": decision["reasons"],
            "suggestions": app.get("suggestions", []),
            "model_version": decision["versions"]["model_version"],
            "policy_version": decision["versions"]["policy_version"],
        }

    @tool
    def application_status(application: CurrentApplication) -> dict[str, Any]:
        """Return the status of this conversation's application (only the applicant's own)."""
        if not application or "application_id" not in application:
            return {"application_id": None, "status": "none"}
        return {
            "application_id": application["application_id"],
            "status": application["status"],
            "product": application["request"]["product"],
            "accepted_offer_id": application.get("accepted_offer_id"),
        }

    return [score_applicant, submit_application, make_offers, explain_decision, application_status]
