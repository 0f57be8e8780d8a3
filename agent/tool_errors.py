"""Turn a tool's exception into data the model can phrase, never a stack trace."""

from __future__ import annotations

import json

from core.errors import LoanAdvisorError


def tool_error_payload(error: Exception) -> str:
    """Return a JSON error body naming the field when the domain said which one was wrong."""
    if isinstance(error, LoanAdvisorError):
        return json.dumps({"error": error.message, "field": error.field})
    if hasattr(error, "errors"):  # pydantic ValidationError from tool-argument checks
        return json.dumps({"error": "the request had invalid values", "detail": str(error)[:300]})
    return json.dumps({"error": "the tool failed; please try again"})
