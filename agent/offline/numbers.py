"""Read figures the way applicants write them: "$20,000", "20k", "1.5 million", "two"."""

from __future__ import annotations

import re

# One capturing group: the figure with its optional k/thousand/million suffix. The atomic
# group stops "1.5 years" backtracking into a money figure "1".
MONEY = (
    r"(?:\$|usd\s*)?\s*"
    r"((?>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(?:k|thousand|m|million)\b)?)"
    r"(?![\d.,]*\d)(?!\s*(?:%|percent|years?\b|yrs?\b|y\b|months?\b|mos?\b|old\b))"
)

WORD_NUMBERS = {
    "no": 0, "none": 0, "zero": 0, "a": 1, "an": 1, "one": 1, "two": 2, "three": 3,
    "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "fifteen": 15, "twenty": 20, "thirty": 30,
}  # fmt: skip

_SUFFIX = {"k": 1_000, "thousand": 1_000, "m": 1_000_000, "million": 1_000_000}
_FIGURE = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(k|thousand|m|million)?", re.IGNORECASE)


def money_value(raw: str) -> float | None:
    """Return the amount a figure like "20k" or "20,000" stands for."""
    match = _FIGURE.search(raw)
    if match is None:
        return None
    value = float(match.group(1).replace(",", ""))
    return value * _SUFFIX.get((match.group(2) or "").lower(), 1)


def small_number(raw: str) -> int | None:
    """Return a count written as digits or a word ("two", "no")."""
    raw = raw.strip().lower()
    if raw.isdigit():
        return int(raw)
    return WORD_NUMBERS.get(raw)
