"""Read a conversation back into dialogue state: slots, what was asked, the application.

The offline model keeps no memory of its own: the same messages always rebuild
the same state, which is what makes it deterministic and replayable from a
checkpoint. Questions it asks carry `asked`/`awaiting` markers in the message's
`additional_kwargs`, so the next answer is read in context.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage

from agent.offline.intents import Intent
from agent.offline.parser import Slots, parse_message
from agent.offline.understanding import Situation, understand
from agent.offline.validate import Rejection, split_valid

# Questions in the order they are asked; a group is asked together while all of it is missing.
SLOT_GROUPS: list[tuple[str, list[str]]] = [
    ("loan", ["product", "amount", "tenure_months"]),
    ("gold_value", ["gold_value"]),
    ("income", ["annual_income", "employment_status"]),
    ("years_employed", ["years_employed"]),
    ("debts", ["monthly_debt_payments", "existing_loans"]),
    ("credit_score", ["credit_score"]),
    ("balances", ["savings_balance", "checking_balance"]),
    ("household", ["home_ownership", "num_dependents"]),
    ("education_level", ["education_level"]),
    ("age", ["age"]),
]
LOAN_SLOTS = ("product", "amount", "tenure_months")

# Intents whose words may carry application details (others never change slots).
SLOT_INTENTS = {"apply", "provide_info", "affirm", "deny", "unknown", "greet"}
# Slots whose change the advisor says back ("I've changed the term to 60 months").
CONFIRMED_BACK = ("amount", "tenure_months", "annual_income", "credit_score", "product")


@dataclass
class Conversation:
    """Dialogue state rebuilt from the messages."""

    slots: Slots = field(default_factory=Slots)
    asked: list[str] = field(default_factory=list)
    awaiting: str | None = None
    application: dict[str, Any] | None = None
    submitted: dict[str, Any] | None = None
    quoted: tuple[Any, ...] | None = None
    last_tool: str | None = None
    last_intent: Intent | None = None
    last_text: str = ""
    rejected: list[Rejection] = field(default_factory=list)
    """Values the latest message gave that the policy does not allow (not collected)."""
    refused_before: dict[tuple[str, str], int] = field(default_factory=dict)
    """How often each (slot, value) was refused: a repeated one is a fact, not a typo."""
    changed: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    """Slots the latest message changed from an earlier value: slot -> (old, new)."""
    added: dict[str, Any] = field(default_factory=dict)
    """Slots the latest message gave that were neither asked for nor known before."""

    def situation(self) -> Situation:
        """Return where the conversation stands, for reading the next message."""
        return Situation(
            asked=tuple(self.asked),
            awaiting=self.awaiting,
            has_offers=bool(self.offers()),
            has_application=self.application is not None,
            has_slots=bool(self.slots),
        )

    def missing(self) -> list[str]:
        """Return every slot still needed before the application can be decided, in order."""
        needed: list[str] = []
        for name, group in SLOT_GROUPS:
            if name == "gold_value" and self.slots.get("product") != "gold":
                continue
            if name == "years_employed" and self.slots.get("employment_status") in (
                "Unemployed",
                "Retired",
            ):
                continue
            needed.extend(s for s in group if s not in self.slots)
        return needed

    def next_question(self) -> tuple[str, list[str]] | None:
        """Return (template key, slots asked) for what to ask next, or None when complete."""
        missing = set(self.missing())
        for name, group in SLOT_GROUPS:
            wanted = [s for s in group if s in missing]
            if not wanted:
                continue
            if len(group) > 1 and len(wanted) == len(group):
                return name, wanted
            return wanted[0], wanted[:1]
        return None

    def offers(self) -> list[dict[str, Any]]:
        """Return every offer made in this conversation (original ones, then negotiated)."""
        return list(self.application.get("offers", [])) if self.application else []

    def changed_since_submission(self) -> bool:
        """Say whether the applicant corrected anything after the last decision."""
        return self.submitted is not None and dict(self.slots) != self.submitted


def _tool_json(message: ToolMessage) -> dict[str, Any] | None:
    try:
        data = json.loads(str(message.content))
    except json.JSONDecodeError:
        return None
    if not isinstance(data, dict) or "error" in data or message.status == "error":
        return None
    return data


def _upsert_offer(offers: list[dict[str, Any]], offer: dict[str, Any]) -> None:
    """Add `offer`, or replace the one it updates: a tool result read twice lists it once."""
    ref = offer.get("offer_ref") or offer.get("offer_id")
    for i, known in enumerate(offers):
        if ref is not None and (known.get("offer_ref") or known.get("offer_id")) == ref:
            offers[i] = offer
            return
    offers.append(offer)


def _absorb_tool(conv: Conversation, message: ToolMessage) -> None:
    data = _tool_json(message)
    if data is None:
        return
    name = message.name
    conv.last_tool = name
    if name == "quote_loan":
        conv.quoted = (data.get("product"), data.get("amount"), data.get("tenure_months"))
    elif name in ("submit_application", "make_offers"):
        conv.application = data
        conv.submitted = dict(conv.slots)
    elif name == "negotiate_offer" and conv.application is not None:
        offers = conv.application.setdefault("offers", [])
        for key in ("offer", "alternative"):
            if data.get(key):
                _upsert_offer(offers, data[key])
    elif name in ("accept_offer", "application_status", "provide_document") and conv.application:
        conv.application["status"] = data.get("status", conv.application.get("status"))
        if name == "accept_offer":
            conv.application["accepted_offer_id"] = data.get("offer_id")
        if isinstance(data.get("documents"), list):  # the latest state of each document
            conv.application["documents"] = data["documents"]


_CHANGE = re.compile(r"\b(?:instead|what about|how about|make it|change it)\b", re.IGNORECASE)
_OFFER_NUMBER = re.compile(
    r"\b(?:option|offer)\s*#?\s*\d{1,2}\b(?!\s*(?:[kK]\b|%|[.,]\d|months?|years?|thousand|grand))",
    re.IGNORECASE,
)


def _reads_slots(conv: Conversation, intent: str) -> bool:
    """Say whether a message with this intent may carry application details."""
    if intent in SLOT_INTENTS:
        return True
    if intent == "negotiate":
        return not conv.offers() and conv.awaiting != "confirm"
    return intent == "accept_offer" and conv.application is None


# Every turn rebuilds the state from the whole thread, so a thread's n-th turn reads its
# first message n times. Reading a message depends only on its text and the state it
# arrives in, so a replay finds the earlier reading here: per turn, one message is new.
_READINGS = 4096


@lru_cache(maxsize=_READINGS)
def _intent(text: str, where: Situation) -> Intent:
    return understand(text, where)


@lru_cache(maxsize=_READINGS)
def _parsed(text: str, asked: tuple[str, ...], held: tuple[tuple[str, Any], ...]) -> Slots:
    return parse_message(text, asked, dict(held))


def _parse(text: str, asked: list[str], current: Slots) -> Slots:
    """Return `parse_message`'s reading, from the cache when this state was seen before."""
    held = tuple(sorted(current.items()))
    try:
        hash(held)
    except TypeError:  # a slot holding a list or dict: read it afresh
        return parse_message(text, asked, current)
    return Slots(_parsed(text, tuple(asked), held))  # a copy: callers may change it


def _absorb_human(conv: Conversation, text: str) -> None:
    """Read one applicant message: its intent, the values it gives, and those refused."""
    intent = _intent(text, conv.situation())
    conv.last_intent, conv.last_text = intent, text
    conv.rejected, conv.changed, conv.added = [], {}, {}
    reads = _reads_slots(conv, intent.name)
    # "What about over 4 years instead?" asks to change the loan, in a question's words.
    loan_change = not reads and intent.name == "policy_question" and bool(_CHANGE.search(text))
    if not (reads or loan_change):
        return
    # "I'll take option 2" names an offer, even when the question was how many loans.
    words = _OFFER_NUMBER.sub(" ", text)
    parsed = _parse(words, conv.asked, conv.slots)
    if loan_change:  # only the loan itself: the question's other figures are not answers
        parsed = Slots({k: v for k, v in parsed.items() if k in LOAN_SLOTS})
    elif _CHANGE.search(text) and not any(k in LOAN_SLOTS for k in parsed):
        # "What about 25k instead?" while debts were asked changes the amount: read without
        # the question, a figure that replaces a loan value is that value, not the answer.
        free = _parse(words, [], conv.slots)
        loan = {k: v for k, v in free.items() if k in LOAN_SLOTS and k in conv.slots}
        if loan:
            parsed = Slots({**{k: v for k, v in parsed.items() if k not in conv.asked}, **loan})
    keep, conv.rejected = split_valid(parsed, conv.slots)
    for problem in conv.rejected:
        key = (problem.slot, str(problem.value))
        conv.refused_before[key] = conv.refused_before.get(key, 0) + 1
    conv.changed = {
        k: (conv.slots[k], v)
        for k, v in keep.items()
        if k in CONFIRMED_BACK and k in conv.slots and conv.slots[k] != v
    }
    conv.added = {k: v for k, v in keep.items() if k not in conv.slots and k not in conv.asked}
    conv.slots = conv.slots.merged(keep)
    for problem in conv.rejected:
        if problem.slot not in parsed:  # held before, invalid under the newly named product
            conv.slots.pop(problem.slot, None)


def read_conversation(messages: list[BaseMessage]) -> Conversation:
    """Rebuild the dialogue state from a thread's messages."""
    conv = Conversation()
    for message in messages:
        if isinstance(message, SystemMessage):
            facts = message.additional_kwargs.get("facts")
            if isinstance(facts, dict):
                conv.slots = Slots(facts.get("slots", {}))
                conv.application = facts.get("application")
                conv.submitted = facts.get("submitted")
                conv.awaiting = facts.get("awaiting")
                conv.asked = list(facts.get("asked") or [])
        elif isinstance(message, AIMessage):
            conv.asked = list(message.additional_kwargs.get("asked", []))
            conv.awaiting = message.additional_kwargs.get("awaiting")
        elif isinstance(message, HumanMessage):
            _absorb_human(conv, str(message.content))
        elif isinstance(message, ToolMessage):
            _absorb_tool(conv, message)
    return conv


def facts_of(messages: list[BaseMessage], previous: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return what a summary must carry forward so the dialogue survives trimming.

    `previous` is the facts of an earlier summary: a thread summarised twice keeps them.
    """
    if previous:
        messages = [SystemMessage("", additional_kwargs={"facts": previous}), *messages]
    conv = read_conversation(messages)
    return {
        "slots": dict(conv.slots),
        "application": conv.application,
        "submitted": conv.submitted,
        "awaiting": conv.awaiting,
        "asked": conv.asked,
    }
