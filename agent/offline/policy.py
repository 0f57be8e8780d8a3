"""The offline advisor's moves and the readings they need: offers named, counter-asks, consent.

A move is either a reply (templated text, with `asked`/`awaiting` markers) or one tool call.
Which move a turn makes is the handler table in agent/offline/handlers.py; this module holds
what those handlers read from the applicant's words (which offer, what kind of counter-ask)
and how an application is summarised and submitted. Figures only ever come from tool
results or the applicant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from agent.offline.dialogue import LOAN_SLOTS, Conversation
from agent.offline.normalise import normalise
from agent.offline.numbers import MONEY, money_value
from agent.offline.parser import parse_tenure_months
from agent.offline.phrasing import label, money, offer_fields
from lending.messages import plural
from prompts.loader import load_yaml_prompt

REFUSALS = {
    "refuse_discrimination": "discrimination",
    "refuse_prompt_leak": "prompt_leak",
    "refuse_policy_change": "policy_change",
    "refuse_other_person": "other_person",
    "refuse_legal_tax": "legal_tax",
}
TERMS = {
    "apr": r"\bapr\b|annual percentage",
    "emi": r"\bemi\b|instal?ment",
    "dti": r"\bdti\b|debt[- ]to[- ]income",
    "amortization": r"amorti[sz]",
    "risk_tier": r"risk tier|\btier\b",
    "tenure": r"tenure|\bterm\b",
    "rate": r"interest rate|\brate\b",
}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}
_POINTS_BACK = re.compile(r"\b(?:it|that|this)(?: one)?\b", re.IGNORECASE)
CONSENT_TEMPLATES_VERSION = 4
CONSENT_KEYS = ("confirm_accept", "no_such_offer", "which_offer", "accept_cancelled")


@dataclass
class Move:
    """The next thing the advisor does: say `text`, or call `tool` with `args`."""

    text: str = ""
    tool: str | None = None
    args: dict[str, Any] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)
    awaiting: str | None = None


def summarise_slots(slots: dict[str, Any]) -> str:
    """Return the application as one readable sentence (figures as the applicant gave them)."""
    parts = [f"{label(slots['product'])} of ${money(slots['amount'])} over "
             f"{slots['tenure_months']} months"]  # fmt: skip
    if "gold_value" in slots:
        parts.append(f"gold worth ${money(slots['gold_value'])}")
    years = slots.get("years_employed")
    job = str(slots["employment_status"]) + (f" for {years} years" if years is not None else "")
    parts.append(f"income ${money(slots['annual_income'])} a year, {job}")
    parts.append(
        f"debts ${money(slots['monthly_debt_payments'])} a month, "
        f"{slots['existing_loans']} other loans"
    )
    score = slots.get("credit_score")
    parts.append(f"credit score {score}" if score is not None else "credit score not known")
    parts.append(
        f"savings ${money(slots['savings_balance'])}, checking ${money(slots['checking_balance'])}"
    )
    parts.append(f"{slots['home_ownership']}, {plural(slots['num_dependents'], 'dependent')}")
    parts.append(f"{slots['education_level']}, age {slots['age']}")
    return "; ".join(parts)


def application_args(slots: dict[str, Any]) -> dict[str, Any]:
    """Split the slots into the `submit_application` tool's profile and request arguments."""
    request = {k: slots[k] for k in LOAN_SLOTS}
    if slots.get("gold_value") is not None:
        request["gold_value"] = slots["gold_value"]
    profile_keys = (
        "age annual_income monthly_debt_payments credit_score employment_status years_employed "
        "savings_balance checking_balance home_ownership num_dependents education_level "
        "existing_loans"
    ).split()
    profile = {k: slots.get(k) for k in profile_keys}
    if profile["years_employed"] is None:
        profile["years_employed"] = 0  # unemployed or retired: no current employment
    return {"profile": profile, "request": request}


def negotiation_ask(text: str) -> dict[str, Any]:
    """Read a counter-ask into (kind, value) for `negotiate_offer`."""
    lowered = normalise(text)
    rate = re.search(r"(\d+(?:\.\d+)?)\s*(?:%|percent)", lowered)
    if rate and float(rate.group(1)) > 0:
        return {"kind": "rate", "value": float(rate.group(1))}
    if rate or re.search(r"\brate|interest|apr|discount|cheaper|beat it", lowered):
        return {"kind": "rate"}
    months = parse_tenure_months(lowered)
    if months is not None:
        return {"kind": "tenure", "value": months}
    payment = re.search(MONEY + r"\s*(?:a|per|/|each|every)\s*month", lowered)
    if payment:
        return {"kind": "payment", "value": money_value(payment.group(1))}
    if re.search(r"payment|monthly|per month|a month|afford|instal", lowered):
        amount = re.search(MONEY, lowered)
        value = money_value(amount.group(1)) if amount else None
        return {"kind": "payment", **({"value": value} if value else {})}
    if re.search(r"longer|stretch|extend|more time", lowered):
        return {"kind": "longer"}
    if re.search(r"shorter|faster|sooner|quicker|pay it off", lowered):
        return {"kind": "shorter"}
    amount = re.search(MONEY, lowered)
    if amount:
        return {"kind": "amount", "value": money_value(amount.group(1))}
    if re.search(r"\bmore\b|bigger|larger|increase", lowered):
        return {"kind": "more"}
    if re.search(r"\bless\b|smaller|lower amount|reduce", lowered):
        return {"kind": "less"}
    return {"kind": "payment"}


def named_offer(text: str) -> str | None:
    """Return the offer number the applicant named ("option 2", "offer #3", "the second")."""
    lowered = text.lower()
    number = re.search(r"(?:option|offer|number|#)\s*(\d+)", lowered)
    if number:
        return str(int(number.group(1)))
    for word, n in _ORDINALS.items():
        if re.search(rf"\b{word}\b", lowered):
            return str(n)
    return None


def chosen_offer(conv: Conversation, text: str) -> str | None:
    """Return the offer the applicant named, only if it exists; never a guess.

    Accepting is binding, so there is no fallback: an offer that was not named, or named
    but does not exist, is None and the advisor asks.
    """
    ids = [str(o.get("offer_id")) for o in conv.offers()]
    named = named_offer(text)
    return named if named is not None and named in ids else None


def negotiation_target(conv: Conversation, text: str) -> str | None:
    """Return the offer a counter-ask is about: the one named, else the latest or requested.

    A counter-ask binds nothing, so "cheaper please" right after a counter-offer may mean
    that counter-offer; an offer named that does not exist is None (the advisor says so).
    """
    ids = [str(o.get("offer_id")) for o in conv.offers()]
    if not ids:
        return None
    named = named_offer(text)
    if named is not None:
        return named if named in ids else None
    if re.search(r"\blast\b", text.lower()) or conv.last_tool == "negotiate_offer":
        return ids[-1]
    return ids[0]


def consent_templates(t: dict[str, Any]) -> dict[str, Any]:
    """Return the consent texts; template versions before v4 lack them, so v4's are used."""
    if "confirm_accept" in t:
        return t
    newer, _ = load_yaml_prompt("offline_replies", CONSENT_TEMPLATES_VERSION)
    return {**t, **{k: newer[k] for k in CONSENT_KEYS}}


def _offer_by_id(conv: Conversation, offer_id: str) -> dict[str, Any] | None:
    return next((o for o in conv.offers() if str(o.get("offer_id")) == offer_id), None)


def accept_move(conv: Conversation, text: str, t: dict[str, Any]) -> Move:
    """Restate the named offer and ask for a yes, or ask which offer; never accept here."""
    t = consent_templates(t)
    ids = [str(o.get("offer_id")) for o in conv.offers()]
    options = ", ".join(ids)
    named = named_offer(text)
    if named is not None and named not in ids:
        return Move(text=str(t["no_such_offer"]).format(named=named, options=options))
    chosen = chosen_offer(conv, text)
    if chosen is None and conv.last_tool == "negotiate_offer" and _POINTS_BACK.search(text):
        chosen = ids[-1]  # "I'll take it" right after a counter-offer: restated, then a yes
    offer = _offer_by_id(conv, chosen) if chosen is not None else None
    if offer is None:
        return Move(text=str(t["which_offer"]).format(options=options, first=ids[0]))
    return Move(
        text=str(t["confirm_accept"]).format(**offer_fields(offer)), awaiting=f"accept:{chosen}"
    )


def confirmed_offer(conv: Conversation, intent: str, text: str) -> str | None:
    """Return the offer the applicant just said yes to accepting (restated last turn), or None.

    Only a plain yes (or "I accept" naming nothing else) right after the restatement counts.
    """
    awaiting = conv.awaiting or ""
    if not awaiting.startswith("accept:"):
        return None
    offer_id = awaiting.removeprefix("accept:")
    named = named_offer(text)
    if intent == "affirm" or (intent == "accept_offer" and named in (None, offer_id)):
        return offer_id if _offer_by_id(conv, offer_id) is not None else None
    return None
