"""Typed errors the edges (API, CLI) turn into messages a person can act on."""

from __future__ import annotations


class LoanAdvisorError(Exception):
    """Base for every error we raise on purpose."""

    status: int = 400
    title: str = "Bad request"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationFailed(LoanAdvisorError):
    """Input broke a documented rule; `field` names it."""

    status = 422
    title = "Invalid input"


class NotFound(LoanAdvisorError):
    """The thing does not exist, or the caller may not see it (we never tell which)."""

    status = 404
    title = "Not found"


class Conflict(LoanAdvisorError):
    """The request clashes with the current state (a transition that is not allowed)."""

    status = 409
    title = "Conflict"


class Unauthorized(LoanAdvisorError):
    """No valid credentials."""

    status = 401
    title = "Unauthorized"


class Forbidden(LoanAdvisorError):
    """Valid credentials without the needed role."""

    status = 403
    title = "Forbidden"


class UpstreamUnavailable(LoanAdvisorError):
    """A dependency (model endpoint, store, index) did not answer in time."""

    status = 503
    title = "Service unavailable"
