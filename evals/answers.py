"""How a persona answers each kind of question, in each style (deterministic)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from evals.phrasing import count, income, money, months, plain
from evals.schema import Profile, Style

_EMPLOYMENT = {
    "Employed": {"terse": "employed", "chatty": "I work full-time", "typos": "emploied"},
    "Self-Employed": {"terse": "self-employed", "chatty": "I run my own business"},
    "Unemployed": {"terse": "unemployed", "chatty": "I'm between jobs at the moment"},
    "Retired": {"terse": "retired", "chatty": "I'm retired now"},
}  # fmt: skip
# Plain phrases; the bare "own" / "mortgage" forms are the understanding suite's own cases, so
# one unread short form does not hide every other kind of failure behind the same loop.
_HOME = {"Rent": "I rent", "Own": "I own my home", "Mortgage": "I have a mortgage"}
_EDUCATION = {
    "High School": ("high school", "I finished high school"),
    "Bachelor's": ("bachelor's", "I have a bachelor's degree"),
    "Master's": ("masters", "I did a master's degree"),
    "PhD": ("phd", "I have a PhD"),
}


def _employment(p: Profile, s: Style) -> str:
    table = _EMPLOYMENT[p.employment_status]
    return table.get(s, table["terse"])


def _loan(p: Profile, s: Style) -> str:
    if s == "terse":
        return f"{p.product}, {money(p.amount, s)}, {months(p.tenure_months, s)}"
    return f"a {p.product} loan of {money(p.amount, s)} over {months(p.tenure_months, s)}"


def _income(p: Profile, s: Style) -> str:
    return f"{income(p.annual_income, s)}, {_employment(p, s)}"


def _debts(p: Profile, s: Style) -> str:
    if p.monthly_debt_payments == 0 and p.existing_loans == 0:
        # "none" alone is asked of the advisor by the ordinary-words cases, on purpose.
        return {"chatty": "no other debts at all", "words": "nothing"}.get(s, "no debts")
    return f"{money(p.monthly_debt_payments, s)} a month, {count(p.existing_loans, 'loan', s)}"


def _score(p: Profile, s: Style) -> str:
    if p.credit_score is None:
        return "I don't know" if s != "chatty" else "no idea, honestly, I've never checked"
    text = plain(p.credit_score, s)
    return f"it's around {text}" if s == "chatty" else text


def _balances(p: Profile, s: Style) -> str:
    return f"{money(p.savings_balance, s)} savings, {money(p.checking_balance, s)} checking"


def _household(p: Profile, s: Style) -> str:
    kids = count(p.num_dependents, "kid", s) if p.num_dependents else "no kids"
    home = _HOME[p.home_ownership]
    if s == "chatty":
        verb = {"Rent": "we rent", "Own": "we own our place", "Mortgage": "we have a mortgage"}
        return f"{verb[p.home_ownership]}, and {kids}"
    return f"{home}, {kids}"


def _education(p: Profile, s: Style) -> str:
    terse, chatty = _EDUCATION[p.education_level]
    return chatty if s == "chatty" else terse


def _age(p: Profile, s: Style) -> str:
    return f"I'm {plain(p.age, s)}" if s in ("chatty", "words") else str(p.age)


ANSWERS: dict[str, Callable[[Profile, Style], str]] = {
    "loan": _loan,
    "product": lambda p, s: f"a {p.product} loan" if s == "chatty" else p.product,
    "amount": lambda p, s: money(p.amount, s),
    "tenure_months": lambda p, s: months(p.tenure_months, s),
    "gold_value": lambda p, s: money(p.gold_value or Decimal(0), s),
    "income": _income,
    "annual_income": lambda p, s: income(p.annual_income, s),
    "employment_status": _employment,
    "years_employed": lambda p, s: count(p.years_employed, "year", s),
    "debts": _debts,
    "monthly_debt_payments": lambda p, s: (
        "none" if p.monthly_debt_payments == 0 else f"{money(p.monthly_debt_payments, s)} a month"
    ),
    "existing_loans": lambda p, s: count(p.existing_loans, "loan", s),
    "credit_score": _score,
    "balances": _balances,
    "savings_balance": lambda p, s: money(p.savings_balance, s),
    "checking_balance": lambda p, s: money(p.checking_balance, s),
    "household": _household,
    "home_ownership": lambda p, _s: _HOME[p.home_ownership],
    "num_dependents": lambda p, s: count(p.num_dependents, "kid", s),
    "education_level": _education,
    "age": _age,
    "confirm": lambda _p, s: {"chatty": "yes please, go ahead and submit it"}.get(s, "yes"),
}
"""The persona's answer to each question kind, from its true profile."""
