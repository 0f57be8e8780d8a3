"""The slot extractors: one pattern and one reader per way applicants state a detail.

Each entry of `EXTRACTORS` is (pattern over normalised text, handler(match) -> slots).
agent/offline/parser.py runs them in order and masks each span it reads, so a figure fills
one slot only ("I earn 85k" is income, never the amount). A new wording is a new row here
with its own test in tests/unit/agent/offline/test_parser.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from agent.offline.numbers import MONEY, money_value, small_number

_NUM = r"\b(\d+|no|zero|none|one|two|three|four|five|six|seven|eight|nine|ten|a|an)"
_PERIOD = r"(?:\s*(?:a|per|/|every|each)\s*(year|yr|annum|month|mo)\b|\s*(annually|monthly))?"


def _period_factor(match: re.Match[str], group_a: int, group_b: int) -> int:
    unit = (match.group(group_a) or match.group(group_b) or "").lower()
    return 12 if unit.startswith("mo") else 1


# Each extractor: (pattern, handler(match) -> {slot: value}).
Handler = Callable[[re.Match[str]], dict[str, Any]]


def _years_employed(m: re.Match[str]) -> dict[str, Any]:
    """Read "employed for 6 years"; the words also say which kind of employment it is."""
    words = m.group(0)
    out: dict[str, Any] = {"years_employed": round(float(m.group(1)))}
    if re.search(r"self[- ]employed|own business|business", words):
        out["employment_status"] = "Self-Employed"
    elif re.search(r"employed|working|job|employer|company|work", words):
        out["employment_status"] = "Employed"
    return out


_MINUS = re.compile(r"(?:-|\bminus|\bnegative)\s*\$?\s*$")


def signed_value(m: re.Match[str], group: int) -> float | None:
    """Return the figure in `group`, negative when written "-5000" or "minus 5000".

    The money pattern reads digits only; the sign is kept so the validator can refuse a
    negative income instead of the parser silently reading it as positive.
    """
    value = money_value(m.group(group))
    if value is None:
        return None
    return -value if _MINUS.search(m.string[: m.start(group)]) else value


def _money_at(group: int, slot: str, period: tuple[int, int] | None = None) -> Handler:
    def handle(m: re.Match[str]) -> dict[str, Any]:
        value = signed_value(m, group)
        if value is None:
            return {}
        if period is not None:
            value *= _period_factor(m, *period)
        return {slot: value}

    return handle


def _debt_with_count(m: re.Match[str]) -> dict[str, Any]:
    """Read "250 a month on 1 other loan": the payment, and the count when a loan is named."""
    out = _money_at(1, "monthly_debt_payments")(m)
    if m.group(2) and "loan" in m.group(3):
        out["existing_loans"] = int(m.group(2))
    return out


def _const(values: dict[str, Any]) -> Handler:
    return lambda _m: dict(values)


def _count(group: int, slot: str) -> Handler:
    def handle(m: re.Match[str]) -> dict[str, Any]:
        n = small_number(m.group(group))
        return {} if n is None else {slot: n}

    return handle


EXTRACTORS: list[tuple[re.Pattern[str], Handler]] = [
    (
        re.compile(r"\b(?:don'?t|do not|dont) know (?:my |the |what my )?(?:credit )?score"),
        _const({"credit_score": None}),
    ),
    (
        # "my score is 720", "760 for the score": never the figure after a "not"
        re.compile(
            r"\b(?:credit\s*score|fico|score)(?:(?!\bnot\b)\D){0,20}?(\d{3})\b|"
            r"\b(\d{3})\s*(?:for|is|as)?\s*(?:the|my)?\s*(?:credit\s*)?score\b"
        ),
        lambda m: (
            {"credit_score": int(m.group(1) or m.group(2))}
            if 100 <= int(m.group(1) or m.group(2)) <= 999
            else {}
        ),
    ),
    (
        re.compile(r"\b(\d{2})\s*(?:years?|yrs?)\s*old\b|\bage[d]?\s*(?:is|:)?\s*(\d{2})\b"),
        lambda m: {"age": int(m.group(1) or m.group(2))},
    ),
    (
        # "I'm 34", "i am 34", "34 y/o": a bare two-digit figure right after "I'm" is an age
        # unless a unit follows (34k, 34%, 34 years employed, 34 months).
        re.compile(
            r"\bi(?:'?m| am)\s+(\d{2})\b(?![.,]?\d|\s*(?:k\b|%|percent"
            r"|years?\s+(?:employed|at|with|in|of)|months?|dollars?|thousand))"
            r"|\b(\d{2})\s*(?:y/?o|yrs? old)\b"
        ),
        lambda m: (
            {"age": int(m.group(1) or m.group(2))}
            if 13 <= int(m.group(1) or m.group(2)) <= 120
            else {}
        ),
    ),
    (
        re.compile(
            r"\b(?:employed|working|worked|work|job|employer|company|business|self[- ]employed)"
            r"[^.\d]{0,25}?(?:for\s+)?(\d+(?:\.\d+)?)\s*(?:years?|yrs?)"
        ),
        _years_employed,
    ),
    (
        re.compile(
            r"\b(\d+(?:\.\d+)?)\s*(?:years?|yrs?)\s*(?:at|in|with|of)\s*(?:my|the|this|current)?"
            r"\s*(?:job|company|role|employer|work|business|employment|experience)"
        ),
        _years_employed,
    ),
    (
        # "5 years employed", "3 yrs self-employed", "10 years working as a nurse": the figure
        # comes first, so without this it was read as the loan's term.
        re.compile(
            r"\b(\d+(?:\.\d+)?)\s*(?:years?|yrs?)\s*(?:of\s+|in\s+)?"
            r"(?:employed|employment|working|self[- ]employed|in work|on the job)\b"
        ),
        _years_employed,
    ),
    (
        re.compile(
            r"\b(?:self[- ]employed|freelanc\w*|contractor|own (?:a|my) business|"
            r"run (?:my own|my|a|our own) (?:business|company|shop|firm))\b"
        ),
        _const({"employment_status": "Self-Employed"}),
    ),
    (
        re.compile(r"\b(?:unemployed|not working|between jobs|out of work|no job|jobless)\b"),
        _const({"employment_status": "Unemployed"}),
    ),
    (re.compile(r"\b(?:retired|retiree|on a pension)\b"), _const({"employment_status": "Retired"})),
    (
        re.compile(
            r"\b(?:employed|full[- ]time|part[- ]time|salaried|i work (?:at|for|as)|"
            r"have a job|i'?m an? (?:engineer|teacher|nurse|developer|manager|accountant))\b"
        ),
        _const({"employment_status": "Employed"}),
    ),
    (
        re.compile(MONEY + r"\s*(?:a|per|/|every)\s*(?:year|yr|annum)\b|" + MONEY + r"\s*annually"),
        lambda m: {"annual_income": signed_value(m, 1 if m.group(1) else 2)},
    ),
    (
        re.compile(
            MONEY + r"(?:\s*(?:a|per|/)\s*month)?\s*(?:on|in|for|towards|of)\s*(?:my\s*)?"
            r"(?:(\d+)\s+|an?\s+)?(debts?|credit cards?|other loans?|existing loans?|repayments?)"
        ),
        _debt_with_count,
    ),
    (
        re.compile(MONEY + r"\s*(?:in\s*)?(?:my\s*)?(?:savings?)\b"),
        _money_at(1, "savings_balance"),
    ),
    (
        re.compile(MONEY + r"\s*(?:in\s*)?(?:my\s*|the\s*)?(?:checking|current account|bank)\b"),
        _money_at(1, "checking_balance"),
    ),
    (
        re.compile(
            r"\b(?:earn\w*|make(?! it\b)|making|income|salary|paid|take home|pension|benefits"
            r"|receive)\b"
            r"\D{0,25}?" + MONEY + _PERIOD
        ),
        _money_at(1, "annual_income", (2, 3)),
    ),
    (
        # "90k salary", "60000 income", "75k a year salary": the figure comes first
        re.compile(MONEY + r"(?: a year)?\s*(?:gross |net |annual |yearly )?(?:salary|income)\b"),
        _money_at(1, "annual_income"),
    ),
    (
        re.compile(
            r"\b(?:no|zero|don'?t have any|without) (?:other |existing )?(?:debts?|emis?)\b"
        ),
        _const({"monthly_debt_payments": 0.0}),
    ),
    (re.compile(r"\bdebt[- ]free\b"), _const({"monthly_debt_payments": 0.0})),
    (
        re.compile(
            r"\b(?:debts?|repayments?|obligations?|emis?|credit cards?|loan payments?|"
            r"(?:car|auto|student loan|mortgage|house) payments?)\b"
            r"\D{0,30}?" + MONEY + r"(?:\s*(?:a|per|/|every|each)\s*(?:month|mo)\b|\s*monthly)?"
        ),
        _money_at(1, "monthly_debt_payments"),
    ),
    (
        re.compile(r"\b(?:no|zero|none|without) (?:other |existing |current )?loans?\b"),
        _const({"existing_loans": 0}),
    ),
    (
        re.compile(_NUM + r"\s+(?:other |existing |current |more |open )+loans?\b"),
        _count(1, "existing_loans"),
    ),
    (
        re.compile(r"\b(\d+|one|two|three|four|five)\s+loans?\b"),
        _count(1, "existing_loans"),
    ),
    (re.compile(r"\bno savings\b"), _const({"savings_balance": 0.0})),
    (
        re.compile(r"\b(?:savings?|saved)\b\D{0,20}?" + MONEY),
        _money_at(1, "savings_balance"),
    ),
    (
        re.compile(r"\b(?:checking|current account|bank balance|in the bank)\b\D{0,20}?" + MONEY),
        _money_at(1, "checking_balance"),
    ),
    (
        re.compile(r"\b(?:rent|renting|tenant|i rent)\b"),
        _const({"home_ownership": "Rent"}),
    ),
    (
        re.compile(r"\b(?:have|paying|pay|with|on) (?:a |my )?mortgage\b"),
        _const({"home_ownership": "Mortgage"}),
    ),
    (
        re.compile(
            r"\b(?:i )?own (?:my|a|the|our) (?:home|house|place|flat|apartment)(?: outright)?\b|"
            r"\bhomeowner\b|\bown outright\b"
        ),
        _const({"home_ownership": "Own"}),
    ),
    (
        re.compile(_NUM + r"\s+(?:dependents?|dependants?|kids?|children|child)\b"),
        _count(1, "num_dependents"),
    ),
    (re.compile(r"\b(?:phd|ph\.d|doctorate)\b"), _const({"education_level": "PhD"})),
    (
        re.compile(r"\b(?:master'?s|mba|msc|postgraduate)\b"),
        _const({"education_level": "Master's"}),
    ),
    (
        re.compile(
            r"\b(?:bachelor'?s|undergraduate degree|college degree|university degree|bsc)\b"
        ),
        _const({"education_level": "Bachelor's"}),
    ),
    (
        re.compile(r"\b(?:high school|secondary school|ged)\b"),
        _const({"education_level": "High School"}),
    ),
    (
        re.compile(
            r"\bgold\b[^.\d$]{0,25}?(?:worth|valued at|value(?:d)?(?: is)?)\D{0,10}?" + MONEY
        ),
        _money_at(1, "gold_value"),
    ),
]
