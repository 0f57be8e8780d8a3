"""The deterministic applicant simulator: reads what the advisor asked, answers as the persona.

It recognises questions from the advisor's words (the only thing an API client sees), answers
from the persona's true profile in the case's styles (rotating per answer), fires scripted
events, and decides when the conversation is over: a decision, an accepted offer, a refusal,
a handover, the end of the script, or the turn budget.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from evals.answers import ANSWERS
from evals.client import Turn
from evals.schema import Case

# First match wins; grouped questions come before the single ones they contain.
QUESTION_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (k, re.compile(p, re.I))
    for k, p in [
        ("confirm", r"shall i (submit|re-run)|submit this application"),
        ("loan", r"which loan .*how much|how much.*over what term"),
        ("product", r"which kind of loan|what (kind|type) of loan"),
        ("amount", r"how much would you like to borrow|how much do you (want|need)"),
        ("tenure_months", r"over what term|how long .*repay|what term"),
        ("gold_value", r"value of the gold"),
        ("income", r"income.*(employed|retired)"),
        ("annual_income", r"(annual|yearly|gross) income"),
        ("employment_status", r"are you employed|self-employed, unemployed"),
        ("years_employed", r"how many years|how long have you (been|worked)"),
        ("debts", r"existing debts.*how many other loans"),
        ("monthly_debt_payments", r"pay each month on (existing )?debts"),
        ("existing_loans", r"how many other loans"),
        ("credit_score", r"credit score"),
        ("balances", r"savings.*checking"),
        ("savings_balance", r"in savings"),
        ("checking_balance", r"checking account"),
        ("household", r"(rent|own).*dependents"),
        ("home_ownership", r"rent, own|own your home|have a mortgage"),
        ("num_dependents", r"dependents"),
        ("education_level", r"education"),
        ("age", r"how old|your age"),
    ]
]
_NEW_OPTION = re.compile(r"\bnew option (\d+)", re.I)
_OFFERS = re.compile(r"\boption \d+\b|here are the options", re.I)
_BINDING_DONE = ("accept_offer",)
_DECISION_TOOLS = ("submit_application",)


# An advisor that rejects a value names the field ("tenure must be between 6 and 84 months");
# the persona then gives that field again.
_REJECTION = re.compile(r"could not|can't|cannot|must be|between|outside|too (high|low)", re.I)
_REJECTED_FIELD: list[tuple[str, re.Pattern[str]]] = [
    (k, re.compile(p, re.I))
    for k, p in [
        ("tenure_months", r"\b(tenure|term)\b"),
        ("amount", r"\bamount\b"),
        ("credit_score", r"credit score"),
        ("annual_income", r"\bincome\b"),
        ("age", r"\bage\b"),
        ("gold_value", r"\bgold\b"),
    ]
]
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def question_kind(reply: str) -> str | None:
    """Return what the advisor's reply asks for (a QUESTION_KINDS name), or None.

    Only sentences ending in "?" count, so an answer that merely mentions "education" or
    "credit score" is not mistaken for a question; a rejection names the field to give again.
    """
    questions = " ".join(s for s in _SENTENCE.split(reply) if s.rstrip(' )"').endswith("?"))
    for kind, pattern in QUESTION_PATTERNS:
        if pattern.search(questions):
            return kind
    if _REJECTION.search(reply):
        for kind, pattern in _REJECTED_FIELD:
            if pattern.search(reply):
                return kind
    return None


def decision_of(turn: Turn) -> str | None:
    """Return the decision outcome a turn's tools produced, if any."""
    for call in turn.tools:
        if call.name in _DECISION_TOOLS and isinstance(call.result, dict):
            outcome = (call.result.get("decision") or {}).get("outcome") or call.result.get(
                "status"
            )
            if outcome:
                return str(outcome)
    return None


class ApplicantSimulator(Protocol):
    """The applicant side of one conversation: the deterministic persona or an LLM playing it.

    `ended` says why the applicant stopped (a decision, an accepted offer, a handover, ...);
    the runner records it with the transcript.
    """

    ended: str | None

    def opening(self) -> str:
        """Return the applicant's first message."""
        ...

    def next_message(self, turn: Turn) -> str | None:
        """Return the reply to the advisor's `turn`, or None when the conversation is over."""
        ...


def binding_end(turn: Turn) -> str | None:
    """Return why a conversation is over whoever plays the applicant, or None to go on.

    An error, a handover to a person or an accepted offer ends it: nothing an applicant says
    next would be judged.
    """
    if turn.error:
        return "error"
    if any(c.name == "request_human" for c in turn.tools):
        return "handover"
    if any(c.name in _BINDING_DONE and c.status == "success" for c in turn.tools):
        return "accepted"
    return None


@dataclass
class Simulator:
    """One persona in one conversation; call `next_message` after each advisor turn."""

    case: Case
    said: int = 0
    seen: dict[str, int] = field(default_factory=dict)
    fired: set[int] = field(default_factory=set)
    script_left: list[str] = field(default_factory=list)
    ended: str | None = None
    decided: bool = False
    repeats: int = 0
    last_reply: str = ""
    LOOP_LIMIT = 3
    """The same reply this many times in a row is a loop: more turns would add nothing."""

    def __post_init__(self) -> None:
        """Queue the scripted turns that follow the opening."""
        self.script_left = list(self.case.script)

    def opening(self) -> str:
        """Return the persona's first message."""
        self.said += 1
        return self.case.opening

    def next_message(self, turn: Turn) -> str | None:
        """Return the persona's reply to `turn`, or None when the conversation is over."""
        if turn.error:
            self.ended = "error"
            return None
        self.repeats = self.repeats + 1 if turn.reply == self.last_reply else 0
        self.last_reply = turn.reply
        if self.repeats + 1 >= self.LOOP_LIMIT:
            self.ended = f"loop: the advisor said the same thing {self.LOOP_LIMIT} times"
            return None
        kind = self._point(turn)
        event = self._event(kind)
        if event is not None and event[1]:
            return self._say(event[0])
        if self.case.goal == "script":
            if self.script_left:
                return self._say(self.script_left.pop(0))
            self.ended = "script done"
            return None
        over = binding_end(turn)  # a handover or an accepted offer (errors ended above)
        if over is not None:
            self.ended = over
            return None
        if kind in ("offers", "decision"):
            if self.case.goal == "accept" and kind == "offers":
                latest = _NEW_OPTION.search(turn.reply)
                choice = latest.group(1) if latest else "1"
                return self._say(_prefix(event, f"I'll take option {choice}"))
            self.ended = "decision"
            return None
        if kind is None or kind not in ANSWERS:
            decided = self.decided and self.case.goal == "decision"
            self.ended = "decision" if decided else "stuck: the advisor asked for nothing"
            return None
        return self._say(_prefix(event, self._answer(kind)))

    def _point(self, turn: Turn) -> str | None:
        """Name the point the conversation reached: a decision, offers, or a question."""
        kind: str | None
        if decision_of(turn) is not None:
            self.decided = True
            kind = "offers" if _OFFERS.search(turn.reply) else "decision"
        elif self.decided and _OFFERS.search(turn.reply):
            kind = "offers"
        else:
            kind = question_kind(turn.reply)
        if kind is not None:
            self.seen[kind] = self.seen.get(kind, 0) + 1
        self.seen["any"] = self.seen.get("any", 0) + 1
        return kind

    def _event(self, kind: str | None) -> tuple[str, bool] | None:
        """Return (text, instead) of the first unfired event due now."""
        for index, event in enumerate(self.case.events):
            if index in self.fired:
                continue
            trigger = event.when if event.when == "any" else kind
            if event.when == trigger and self.seen.get(event.when, 0) == event.occurrence:
                self.fired.add(index)
                return event.say, event.instead
        return None

    def _answer(self, kind: str) -> str:
        """Answer `kind`: a literal override in order, else the persona's style of the day."""
        asked = self.seen.get(kind, 1)
        literal = self.case.answers.get(kind)
        if literal:
            return literal[min(asked, len(literal)) - 1]
        assert self.case.profile is not None  # guaranteed by the schema for these goals
        style = self.case.styles[self.said % len(self.case.styles)]  # rotates per message
        return ANSWERS[kind](self.case.profile, style)

    def _say(self, text: str) -> str:
        self.said += 1
        return text


def _prefix(event: tuple[str, bool] | None, text: str) -> str:
    """Put a not-instead event's words before the answer, in the same message."""
    return f"{event[0]} {text}" if event is not None else text
