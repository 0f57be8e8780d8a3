"""The typed view of an application a conversation keeps (graph state) and tools return.

A snapshot is always built from the stored record by the application service, so the chat
never holds a decision of its own: after anything changes, the thread re-reads it.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from lending.policy import Outcome
from storage.records import ApplicationStatus, OfferStatus


class OfferView(BaseModel):
    """One stored offer as the applicant is shown it: its option number and its figures."""

    model_config = ConfigDict(frozen=True)

    option: str = Field(description="the number the applicant picks it by ('1', '2', ...)")
    offer_id: str = Field(description="the stored offer's id (what REST clients use)")
    status: OfferStatus
    kind: str
    amount: Decimal = Field(description="principal, USD")
    tenure_months: int
    annual_rate_pct: Decimal
    apr_pct: Decimal
    monthly_payment: Decimal = Field(description="USD/month")
    total_cost: Decimal = Field(description="interest + fees, USD")


class ThreadApplication(BaseModel):
    """The application a conversation is about, as last read from the application service."""

    model_config = ConfigDict(frozen=True)

    application_id: str
    status: ApplicationStatus
    outcome: Outcome | None = Field(None, description="the lending decision; None while pending")
    product: str
    amount: Decimal = Field(description="requested principal, USD")
    tenure_months: int
    offers: list[OfferView] = Field(default_factory=list, description="active and accepted")
    accepted_offer_id: str | None = None
