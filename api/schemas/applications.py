"""Bodies of the application and offer routes."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from core.ids import ID_PATTERN
from lending.schemas import ApplicantProfile, Decision, LoanRequest, Offer
from storage.records import ApplicationStatus  # the one status vocabulary


class ApplicationCreate(BaseModel):
    """A loan application: who is asking and what for."""

    profile: ApplicantProfile
    request: LoanRequest
    thread_id: str | None = Field(
        None, pattern=ID_PATTERN.pattern, description="conversation the application came from"
    )


class StatusChangePublic(BaseModel):
    """One step of the status history."""

    status: ApplicationStatus
    at: datetime
    by: Literal["applicant", "staff", "system"]
    note: str = ""


class RequiredDocumentPublic(BaseModel):
    """A document a conditional approval asks for, and whether the applicant has provided it."""

    name: str = Field(description="the document as the lending policy names it")
    provided: bool
    provided_at: datetime | None = None
    document_id: str | None = Field(None, description="the uploaded file, if one was attached")


class DocumentProvided(BaseModel):
    """Mark one required document as provided, optionally naming the file uploaded for it."""

    name: str = Field(min_length=1, max_length=200, description="as listed in `documents`")
    document_id: str | None = Field(None, pattern=ID_PATTERN.pattern)


class ApplicationPublic(BaseModel):
    """An application as its owner (or staff) sees it."""

    application_id: str
    status: ApplicationStatus
    product: str
    amount: Decimal = Field(description="requested principal, USD")
    tenure_months: int
    decision: Decision | None = Field(
        None, description="null while the decision is pending (e.g. credit model unavailable)"
    )
    created_at: datetime
    updated_at: datetime
    history: list[StatusChangePublic]
    documents: list[RequiredDocumentPublic] = Field(
        default_factory=list, description="what a conditional approval asks for, and its state"
    )
    accept_blocked: str | None = Field(
        None, description="why no offer can be accepted yet (documents still needed), in words"
    )


class WithdrawBody(BaseModel):
    """Why the applicant withdraws (optional)."""

    reason: str = Field("", max_length=500)


class OfferPublic(Offer):
    """A priced offer with the id used to compare or accept it."""

    offer_id: str
    status: Literal["active", "superseded", "accepted"]


class OfferSetPublic(BaseModel):
    """The decision on the current terms and the offers we can make on them."""

    application_id: str
    decision: Decision | None
    offers: list[OfferPublic]
    note: str = ""
    documents: list[RequiredDocumentPublic] = Field(
        default_factory=list, description="what a conditional approval asks for, and its state"
    )
    accept_blocked: str | None = Field(
        None, description="why no offer can be accepted yet (documents still needed), in words"
    )


class OfferAdjust(BaseModel):
    """New terms to re-price: amount, tenure or both."""

    # The schema says what the validator below enforces: at least one of the two, not null.
    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {"required": [name], "properties": {name: {"not": {"type": "null"}}}}
                for name in ("amount", "tenure_months")
            ]
        }
    )

    amount: Decimal | None = Field(None, gt=0, le=10_000_000, description="principal, USD")
    tenure_months: int | None = Field(None, ge=1, le=600, description="months")

    @model_validator(mode="after")
    def _something_changes(self) -> OfferAdjust:
        if self.amount is None and self.tenure_months is None:
            raise ValueError("give an amount, a tenure_months, or both")
        return self


class CompareBody(BaseModel):
    """Offers to compare side by side (ids from the offers list)."""

    offer_ids: list[str] = Field(min_length=1, max_length=6)


class ComparisonRowPublic(BaseModel):
    """One offer in the comparison with its pros and cons."""

    offer: OfferPublic
    pros: list[str]
    cons: list[str]


class ComparisonPublic(BaseModel):
    """Side-by-side of offers and which is best on each dimension (offer ids)."""

    rows: list[ComparisonRowPublic]
    best_payment: str
    best_total_cost: str
    fastest_payoff: str
