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


# Analytics keep what was asked, not who asked or for how much: amounts (currency or any
# figure of three or more digits, "25k") and names introduced as names are masked too.
_ANALYTICS_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            r"(?:[$€£]\s?\d[\d,]*(?:\.\d+)?(?:\s?[kKmM]\b)?|\b\d[\d,.]*\s?(?:[kKmM]\b|(?:thousand|million|"
            r"dollars|usd|eur|gbp)\b)|\b\d{1,3}(?:,\d{3})+(?:\.\d+)?\b|\b\d{3,}(?:\.\d+)?\b)",
            re.IGNORECASE,
        ),
        "[AMOUNT]",
    ),
    (
        re.compile(
            r"(?:(?<=\bname is )|(?<=\bname's )|(?<=\bI am )|(?<=\bI'm )|(?<=\bcall me )|"
            r"(?<=\bMr\. )|(?<=\bMrs\. )|(?<=\bMs\. )|(?<=\bDr\. )|(?<=\bMr )|(?<=\bMrs )|"
            r"(?<=\bMs )|(?<=\bDr ))[A-Z][a-z'-]+(?: [A-Z][a-z'-]+)?"
        ),
        "[NAME]",
    ),
]


def redact_for_analytics(text: str) -> str:
    """Return `text` with PII masked as `redact` does, and also names and money amounts."""
    text = redact(text)
    for pattern, label in _ANALYTICS_PATTERNS:
        text = pattern.sub(label, text)
    return text
