"""An application's state machine: the one table of which action moves which status where.

Every change of an application's status goes through `next_status`; a move the table does
not list is a `Conflict` (HTTP 409) whose message says what the application is and what was
tried, never a silent overwrite.
"""

from __future__ import annotations

from enum import StrEnum

from core.errors import Conflict
from storage.records import ApplicationStatus

S = ApplicationStatus


class Action(StrEnum):
    """What can happen to an application (by the system, the applicant or a loan officer)."""

    APPROVE = "approve"  # the decision (or a re-price) came out approved / conditionally
    REFER = "refer"  # the decision needs a loan officer
    DECLINE = "decline"  # the decision came out declined
    REVIEW_APPROVE = "review_approve"  # a loan officer approved a referred application
    REVIEW_DECLINE = "review_decline"  # a loan officer declined a referred application
    REPRICE = "reprice"  # new terms priced (and approved) on an approved application
    NEGOTIATE = "negotiate"  # a counter-offer added to an approved application
    ACCEPT = "accept"  # the applicant accepted one offer
    WITHDRAW = "withdraw"  # the applicant withdrew (an acceptance only in cooling-off)
    PROVIDE_DOCUMENT = "provide_document"  # a document a conditional approval asks for is in


# (status, action) -> status. Anything missing is illegal.
TRANSITIONS: dict[tuple[ApplicationStatus, Action], ApplicationStatus] = {
    (S.RECEIVED, Action.APPROVE): S.APPROVED,
    (S.RECEIVED, Action.REFER): S.UNDER_REVIEW,
    (S.RECEIVED, Action.DECLINE): S.DECLINED,
    (S.RECEIVED, Action.WITHDRAW): S.WITHDRAWN,
    (S.UNDER_REVIEW, Action.REVIEW_APPROVE): S.APPROVED,
    (S.UNDER_REVIEW, Action.REVIEW_DECLINE): S.DECLINED,
    (S.UNDER_REVIEW, Action.WITHDRAW): S.WITHDRAWN,
    (S.APPROVED, Action.REPRICE): S.APPROVED,
    (S.APPROVED, Action.NEGOTIATE): S.APPROVED,
    (S.APPROVED, Action.ACCEPT): S.OFFER_ACCEPTED,
    (S.APPROVED, Action.PROVIDE_DOCUMENT): S.APPROVED,
    (S.APPROVED, Action.WITHDRAW): S.WITHDRAWN,
    (S.OFFER_ACCEPTED, Action.WITHDRAW): S.WITHDRAWN,  # only inside the cooling-off window
}

FINAL = frozenset({S.DECLINED, S.WITHDRAWN})

_DOING = {
    Action.APPROVE: "be approved",
    Action.REFER: "be referred to a loan officer",
    Action.DECLINE: "be declined",
    Action.REVIEW_APPROVE: "be approved by a loan officer",
    Action.REVIEW_DECLINE: "be declined by a loan officer",
    Action.REPRICE: "be re-priced",
    Action.NEGOTIATE: "take a counter-offer",
    Action.ACCEPT: "accept an offer",
    Action.WITHDRAW: "be withdrawn",
    Action.PROVIDE_DOCUMENT: "take documents for a conditional approval",
}


def next_status(status: ApplicationStatus | str, action: Action) -> ApplicationStatus:
    """Return the status `action` leads to from `status`.

    Raises:
        Conflict: the table has no such move (the message names both).
    """
    current = ApplicationStatus(status)
    found = TRANSITIONS.get((current, action))
    if found is None:
        raise Conflict(
            f"an application that is {current.value.replace('_', ' ')} cannot {_DOING[action]}",
            field="status",
        )
    return found


def allowed_actions(status: ApplicationStatus | str) -> frozenset[Action]:
    """Return the actions legal from `status` (what a client may offer the applicant)."""
    current = ApplicationStatus(status)
    return frozenset(a for (s, a) in TRANSITIONS if s == current)
