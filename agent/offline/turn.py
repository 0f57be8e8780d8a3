"""What a dialogue handler reads (a `Turn`) and the guard predicates the handler table uses.

Kept apart from the table (agent/offline/handlers.py) so each guard is a named, one-line
predicate that reads like the rule it states, and the table stays a table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from agent.offline.dialogue import LOAN_SLOTS, Conversation
from agent.offline.documents import outstanding
from agent.offline.policy import Move, summarise_slots


@dataclass(frozen=True)
class Turn:
    """What a handler reads: the dialogue state, the bound tools and the reply templates."""

    conv: Conversation
    tools: frozenset[str]
    t: dict[str, Any]

    @property
    def intent(self) -> str:
        """Return the latest message's intent name."""
        return self.conv.last_intent.name if self.conv.last_intent else "greet"

    @property
    def deciding(self) -> bool:
        """Say whether a decision stands for the details as they are now."""
        return self.conv.application is not None and not self.conv.changed_since_submission()


Guard = Callable[[Turn], bool]
Handler = Callable[[Turn], Move | None]


def pending_prompt(conv: Conversation, t: dict[str, Any]) -> Move | None:
    """Return the question (or the confirmation) the application is waiting on, if any."""
    if not conv.slots or (conv.application is not None and not conv.changed_since_submission()):
        return None
    question = conv.next_question()
    if question is not None:
        key, asked = question
        return Move(text=str(t["ask"][key]), asked=asked)
    template = "confirm_changed" if conv.application is not None else "confirm"
    summary = summarise_slots(conv.slots)
    return Move(text=str(t[template]).format(summary=summary), awaiting="confirm")


def then_pending(text: str, turn: Turn) -> Move:
    """Return `text` followed by the pending question, carrying its markers."""
    pending = pending_prompt(turn.conv, turn.t)
    if pending is None:
        return Move(text=text)
    back = str(turn.t["back_to"]).format(question=pending.text)
    return Move(text=f"{text} {back}", asked=pending.asked, awaiting=pending.awaiting)


def collect(turn: Turn) -> Move:
    """Ask for what is missing, quote when the loan is known, confirm when all is known."""
    conv, t = turn.conv, turn.t
    loan = tuple(conv.slots.get(k) for k in LOAN_SLOTS)
    loan_known = all(k in conv.slots for k in LOAN_SLOTS)
    started_profile = any(k in conv.slots for k in ("annual_income", "employment_status"))
    quoted_same = conv.quoted is not None and _same(conv.quoted, loan)
    if loan_known and not started_profile and not quoted_same and "quote_loan" in turn.tools:
        return Move(tool="quote_loan", args=dict(zip(LOAN_SLOTS, loan, strict=True)))
    pending = pending_prompt(conv, t)
    return pending if pending is not None else Move(text=str(t["fallback"]))


def _same(quoted: tuple[Any, ...], loan: tuple[Any, ...]) -> bool:
    def norm(xs: tuple[Any, ...]) -> list[Any]:
        return [float(x) if isinstance(x, int | float) else x for x in xs]

    return norm(quoted) == norm(loan)


def awaiting(turn: Turn, prefix: str) -> bool:
    """Say whether the advisor is waiting on an answer of this kind ("accept:2")."""
    return (turn.conv.awaiting or "").startswith(prefix)


def bound(tool: str) -> Guard:
    """Return a guard: the tool is bound (the policy only calls tools that exist)."""
    return lambda turn: tool in turn.tools


def said(*intents: str) -> Guard:
    """Return a guard: the latest message has one of these intents."""
    return lambda turn: turn.intent in intents


def all_of(*guards: Guard) -> Guard:
    """Return a guard that holds when every one of `guards` holds."""
    return lambda turn: all(g(turn) for g in guards)


def confirming(turn: Turn) -> bool:
    """Say whether the advisor just restated the application and asked for a yes."""
    return turn.conv.awaiting == "confirm"


def complete(turn: Turn) -> bool:
    """Say whether every detail the decision needs is known."""
    return not turn.conv.missing()


def deciding(turn: Turn) -> bool:
    """Say whether a decision stands for the details as they are now."""
    return turn.deciding


def has_offers(turn: Turn) -> bool:
    """Say whether this conversation has offers."""
    return bool(turn.conv.offers())


def several_offers(turn: Turn) -> bool:
    """Say whether there is more than one offer to compare."""
    return len(turn.conv.offers()) > 1


def no_offers(turn: Turn) -> bool:
    """Say whether no offer has been made yet."""
    return not turn.conv.offers()


def fresh(turn: Turn) -> bool:
    """Say whether nothing has been said about an application yet."""
    return turn.conv.application is None and not turn.conv.slots


def empty(turn: Turn) -> bool:
    """Say whether no application detail is known yet."""
    return not turn.conv.slots


def refused(turn: Turn) -> bool:
    """Say whether the latest message gave a value the policy does not allow."""
    return bool(turn.conv.rejected)


def accepting(turn: Turn) -> bool:
    """Say whether the advisor restated an offer and is waiting for a yes."""
    return awaiting(turn, "accept:")


def awaiting_documents(turn: Turn) -> bool:
    """Say whether a conditional approval here still waits for documents."""
    return bool(outstanding(turn.conv.application))


def providing(turn: Turn) -> bool:
    """Say whether the advisor named a sent document back and is waiting for a yes."""
    return awaiting(turn, "document:")
