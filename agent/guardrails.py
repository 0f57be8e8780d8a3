"""Checks on the model's draft reply before the applicant sees it.

The rule that matters most: every number in a reply must have come from a tool
output (or the applicant's own words) in this thread. A model that invents a
rate or payment is caught here, whatever the provider.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from langchain_core.messages import AnyMessage, HumanMessage, ToolMessage

_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?")


def numbers_in(text: str) -> set[str]:
    """Return the numbers in `text`, normalised (no thousands separators, no trailing .0)."""
    found = set()
    for raw in _NUMBER.findall(text):
        value = raw.replace(",", "").rstrip(".")
        if "." in value:
            value = value.rstrip("0").rstrip(".")
        found.add(value)
    return found


def grounded_numbers(messages: Iterable[AnyMessage]) -> set[str]:
    """Return every number a tool returned or the applicant said in this thread."""
    grounded: set[str] = set()
    for message in messages:
        if isinstance(message, ToolMessage | HumanMessage):
            grounded |= numbers_in(str(message.content))
    return grounded


def ungrounded_numbers(reply: str, messages: Iterable[AnyMessage]) -> set[str]:
    """Return the numbers in `reply` that nothing in the thread supports."""
    return numbers_in(reply) - grounded_numbers(messages)
