"""Parse untrusted input into lending schemas, raising `ValidationFailed` a person can act on.

Pydantic reports every broken constraint; the edges (tools, API) want one typed error naming
the field and the allowed range. Product-specific bounds (amount and tenure per product, the
gold value) come from the policy, so they are checked here too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from core.errors import ValidationFailed
from lending.eligibility import check_request
from lending.policy import Policy, load_policy
from lending.schemas import ApplicantProfile, LoanRequest

M = TypeVar("M", bound=BaseModel)

_BOUND_WORDS = {"gt": "above", "ge": "at least", "lt": "below", "le": "at most"}


def _describe(model: type[BaseModel], error: Any) -> tuple[str, str]:
    """Return (field, message) for one pydantic error, naming the allowed range if known."""
    field = ".".join(str(p) for p in error["loc"]) or model.__name__
    name = str(error["loc"][0]) if error["loc"] else ""
    info = model.model_fields.get(name)
    bounds: list[str] = []
    if info is not None:
        for meta in info.metadata:
            for attr, word in _BOUND_WORDS.items():
                value = getattr(meta, attr, None)
                if value is not None:
                    bounds.append(f"{word} {value}")
    unit = f" ({info.description})" if info is not None and info.description else ""
    allowed = f"; allowed: {' and '.join(bounds)}" if bounds else ""
    return field, f"{field}{unit}: {error['msg']}{allowed}"


def parse(model: type[M], data: Mapping[str, Any]) -> M:
    """Validate `data` as `model`; raise ValidationFailed for the first broken field."""
    try:
        return model.model_validate(dict(data))
    except ValidationError as exc:
        field, message = _describe(model, exc.errors()[0])
        raise ValidationFailed(message, field=field) from None


def parse_applicant(data: Mapping[str, Any]) -> ApplicantProfile:
    """Validate an applicant profile (income > 0, ages 18..100, scores 300..850, ...)."""
    return parse(ApplicantProfile, data)


def parse_request(data: Mapping[str, Any], policy: Policy | None = None) -> LoanRequest:
    """Validate a loan request, including the product's amount and tenure ranges."""
    request = parse(LoanRequest, data)
    check_request(request, policy or load_policy())
    return request
