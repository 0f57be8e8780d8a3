"""PII redaction applied to everything we log, trace or cache.

Patterns are deliberately broad: a false positive costs a masked digit string in
a log line; a false negative leaks a card or social-security number.
"""

from __future__ import annotations

import re

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[EMAIL]"),
    (re.compile(r"\b\d{3}-\d{2}-\d{4}\b"), "[SSN]"),
    (re.compile(r"\b(?:\d[ -]?){13,19}\b"), "[CARD]"),
    (re.compile(r"\b\d{9,12}\b"), "[ACCOUNT]"),
    (re.compile(r"\b(?:\+?\d{1,2}[ .-]?)?\(?\d{3}\)?[ .-]?\d{3}[ .-]?\d{4}\b"), "[PHONE]"),
]


def redact(text: str) -> str:
    """Return `text` with emails, SSNs, card, phone and account numbers masked."""
    for pattern, label in _PATTERNS:
        text = pattern.sub(label, text)
    return text
