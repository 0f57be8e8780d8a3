"""Rewrite an applicant's message into one spelling the extractors can read.

People write "fifteen grand", "a hundred and twenty k", "2 and a half years", "85 K yearly",
"morgage". The extractors (agent/offline/parser.py) are plain patterns over digits, so every
variant is turned into the same canonical text first: number words become digits
(text2num's `alpha2digit`), slang units become `k`/`million`, halves become decimals, period
words become "a year" / "a month", and a short list of frequent misspellings is corrected.
The rewrite only ever changes how a figure or a keyword is spelled, never which figure is
meant, so a parse can still be explained from the original sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache

from text_to_num import alpha2digit

# Misspellings seen in applicants' messages, mapped to the word the extractors know.
TYPOS = {
    "morgage": "mortgage",
    "mortage": "mortgage",
    "mortgae": "mortgage",
    "salery": "salary",
    "sallary": "salary",
    "incom": "income",
    "imcome": "income",
    "yeras": "years",
    "yaers": "years",
    "yrs": "years",
    "moths": "months",
    "monthes": "months",
    "montly": "monthly",
    "mnths": "months",
    "thousnad": "thousand",
    "thosand": "thousand",
    "dependants": "dependents",
    "childen": "children",
    "savigns": "savings",
    "employd": "employed",
    "emplyed": "employed",
    "emploied": "employed",
    "dollers": "dollars",
    "dolars": "dollars",
    "monhts": "months",
    "mnoths": "months",
    "yaer": "year",
    "yera": "year",
    "anually": "annually",
    "chekcing": "checking",
    "cheking": "checking",
    "savngs": "savings",
    "morgtage": "mortgage",
    "persnal": "personal",
    "retird": "retired",
}
_TYPO = re.compile(r"\b(" + "|".join(map(re.escape, TYPOS)) + r")\b")

Rule = tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]


def _half(m: re.Match[str]) -> str:
    return f"{float(m.group(1)) + 0.5:g} {m.group(2)}"


# Applied in order, after number words became digits.
_RULES: list[Rule] = [
    # "a year and a half" / "one and a half years" / "half a year"
    (re.compile(r"\b(?:a|1) year and a half\b"), "18 months"),
    (re.compile(r"\bhalf (?:a|1) year\b"), "6 months"),
    (re.compile(r"\b(?:one|1) and a half (years?|months?)\b"), r"1.5 \1"),
    (re.compile(r"\b(\d+) and a half (years?|months?)\b"), _half),
    (re.compile(r"\bhalf (?:a|1) (million|mil)\b"), "500k"),
    # "a 120 k" (from "a hundred and twenty k"): the article was part of the number
    (re.compile(r"\ba (\d+(?:\.\d+)?)\s*(k|thousand|million)\b"), r"\1\2"),
    # slang units: "15 grand", "15 g", "85 k", "1.2 mil", "2 mill", "1 mn", "500 bucks"
    (re.compile(r"\b(\d+(?:\.\d+)?)\s*(?:grand|g)\b"), r"\1k"),
    (re.compile(r"\b(\d+(?:\.\d+)?)\s+k\b"), r"\1k"),
    (re.compile(r"\b(\d+(?:\.\d+)?)\s*(?:mil|mill|mn)\b"), r"\1 million"),
    # "40000 dollars savings" -> "$40000 savings": the unit word would split a figure from
    # the slot word that follows it
    (
        re.compile(
            r"(?<![\w$])(\d[\d,]*(?:\.\d+)?(?:k|\s*thousand|\s*million)?)\s*(?:dollars?|bucks|usd)\b"
        ),
        r"$\1",
    ),  # fmt: skip
    # "$4.5k" stays; "4,500.00" loses its cents
    (re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)\.00\b"), r"\1"),
    # period words: "yearly", "per annum", "p.a.", "/yr", "a yr" -> "a year"; "/mo" -> "a month"
    (re.compile(r"(?:\s*/\s*|\s+(?:per|a|an|each|every)\s+)(?:yr|year|annum)\b"), " a year"),
    (re.compile(r"\s+(?:yearly|annually|p\.a\.|pa)(?=\W|$)"), " a year"),
    (re.compile(r"(?:\s*/\s*|\s+(?:per|a|each|every)\s+)(?:mo|mth|month)\b"), " a month"),
    (re.compile(r"\s+monthly\b(?!\s+(?:payment|debt|repayment|income|salary))"), " a month"),
]


# "30 thousand", "1.5 million", "12 hundred": digits with a scale word. text2num turns the
# scale word alone into digits ("30 1000"), which read as 30, so they are multiplied first.
_DIGITS_SCALED = re.compile(r"(?<![\d.,])(\d+(?:\.\d+)?)\s*(hundred|thousand|million)\b")
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000}


def _scaled(m: re.Match[str]) -> str:
    value = Decimal(m.group(1)) * _SCALES[m.group(2)]
    return str(value.to_integral_value()) if value == value.to_integral_value() else str(value)


@lru_cache(maxsize=4096)  # a thread's earlier messages are re-read on every turn
def normalise(text: str) -> str:
    """Return `text` lower-cased, with number words as digits and units spelled one way."""
    lowered = text.lower().replace("’", "'").replace("‘", "'")
    lowered = _TYPO.sub(lambda m: TYPOS[m.group(1)], lowered)
    lowered = _DIGITS_SCALED.sub(_scaled, lowered)
    try:
        # threshold 0: "two grand" and "one year" too (the default keeps numbers below 3 as words)
        lowered = alpha2digit(lowered, "en", threshold=0)
    except (ValueError, IndexError):  # the converter rejects a few malformed runs; keep words
        pass
    for pattern, replacement in _RULES:
        lowered = pattern.sub(replacement, lowered)
    return lowered
