"""The application service: the one owner of an application's life (see service.py)."""

from __future__ import annotations

from applications.ports import RiskScorer
from applications.service import ApplicationService
from applications.underwriting import Underwriter
from core.clock import Clock
from lending.policy import Policy
from storage.repositories import Repositories

__all__ = ["ApplicationService", "build_application_service"]


def build_application_service(
    repos: Repositories, scorer: RiskScorer, policy: Policy, clock: Clock
) -> ApplicationService:
    """Return the application service over these repositories, credit model and policy."""
    return ApplicationService(repos, Underwriter(scorer, policy), clock)
