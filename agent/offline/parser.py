"""Turn an applicant's words into a loan request: product, amount and term.

Rules, not a model: a bank must be able to say why a sentence produced a given
tool call, and the same sentence must always produce the same call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

PRODUCT_WORDS: dict[str, tuple[str, ...]] = {
    "car": ("car", "auto", "vehicle", "automobile"),
    "home": ("home", "house", "mortgage", "property", "apartment", "flat"),
    "gold": ("gold",),
    "education": ("education", "student", "tuition", "college", "university", "study"),
    "personal": ("personal",),
    "medical": ("medical", "hospital", "surgery", "health"),
}

_MULTIPLIERS = {"k": 1_000, "thousand": 1_000, "m": 1_000_000, "million": 1_000_000}
_AMOUNT = re.compile(
    r"(?:\$|usd\s*)?\s*(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(k|thousand|m|million)?\b(?!\s*(?:%|percent|years?|yrs?|months?|mos?))",
    re.IGNORECASE,
)
_NEGATED = re.compile(r"(?:\bnot|\binstead of|\brather than)\s*$", re.IGNORECASE)
_TENURE = re.compile(r"(\d+(?:\.\d+)?)\s*(years?|yrs?|y\b|months?|mos?)", re.IGNORECASE)
_WORD_TENURE = re.compile(
    r"\b(one|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty|thirty)\s+(years?|months?)",
    re.IGNORECASE,
)
_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "fifteen": 15, "twenty": 20, "thirty": 30,
}  # fmt: skip


@dataclass
class LoanSlots:
    """What we understood of the loan request so far; `None` means not yet said."""

    product: str | None = None
    amount: float | None = None
    tenure_months: int | None = None
    mentioned: list[str] = field(default_factory=list)

    def missing(self) -> list[str]:
        """Return the slots still needed to price a loan, in the order we ask for them."""
        names = {"product": "the loan type", "amount": "the amount", "tenure_months": "the term"}
        return [label for key, label in names.items() if getattr(self, key) is None]

    def merge(self, newer: LoanSlots) -> LoanSlots:
        """Return these slots updated with what `newer` states (later words win: corrections)."""
        return LoanSlots(
            product=newer.product or self.product,
            amount=newer.amount if newer.amount is not None else self.amount,
            tenure_months=newer.tenure_months
            if newer.tenure_months is not None
            else self.tenure_months,
        )


def parse_product(text: str) -> str | None:
    """Return the product a message names, if exactly one is named."""
    lowered = text.lower()
    found = [
        product
        for product, words in PRODUCT_WORDS.items()
        if any(re.search(rf"\b{re.escape(w)}s?\b", lowered) for w in words)
    ]
    return found[0] if len(found) == 1 else None


def parse_tenure_months(text: str) -> int | None:
    """Return the term in months ("4 years", "48 months", "five years")."""
    match = _TENURE.search(text)
    if match:
        value, unit = float(match.group(1)), match.group(2).lower()
    else:
        word = _WORD_TENURE.search(text)
        if not word:
            return None
        value, unit = float(_WORD_NUMBERS[word.group(1).lower()]), word.group(2).lower()
    months = value * 12 if unit.startswith("y") else value
    return round(months)


def parse_amount(text: str) -> float | None:
    """Return the largest money amount in the message ("$20,000", "20k", "1.5 million")."""
    without_tenure = _TENURE.sub(" ", _WORD_TENURE.sub(" ", text))
    amounts: list[float] = []
    for match in _AMOUNT.finditer(without_tenure):
        if _NEGATED.search(without_tenure[: match.start()]):
            continue  # "45k, not 54k": the negated figure is the one being corrected
        number = float(match.group(1).replace(",", ""))
        unit = (match.group(2) or "").lower()
        number *= _MULTIPLIERS.get(unit, 1)
        has_marker = "$" in match.group(0) or unit or "usd" in match.group(0).lower()
        if has_marker or number >= 100:
            amounts.append(number)
    return max(amounts) if amounts else None


def parse_slots(text: str) -> LoanSlots:
    """Parse one message into slots."""
    return LoanSlots(
        product=parse_product(text),
        amount=parse_amount(text),
        tenure_months=parse_tenure_months(text),
    )
