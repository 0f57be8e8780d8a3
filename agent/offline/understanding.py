"""Decide what a message means here: the classifier's intent, corrected by where we are.

"can you lower the rate?" is a policy question before any offer and a counter-ask after one;
"250 a month, one loan" answers the debts question whatever the classifier thinks; "does
my age affect the rate?" is a fair-lending question, "lower it for my age" a request to
refuse. The rules are a table of (name, guard, intent) read top to bottom; the first guard
that holds decides, and the classifier's answer stands when none does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from agent.offline import cues
from agent.offline.intents import Intent, classify, rule_intent
from agent.offline.normalise import normalise
from agent.offline.numbers import MONEY
from agent.offline.parser import parse_message


@dataclass(frozen=True)
class Situation:
    """Where the conversation is when a message arrives (what it is read against)."""

    asked: Sequence[str] = ()
    awaiting: str | None = None
    has_offers: bool = False
    has_application: bool = False
    has_slots: bool = False


@dataclass(frozen=True)
class Reading:
    """One message with what the rules need: its normalised text and the classifier's view."""

    text: str
    norm: str
    base: Intent
    where: Situation


# Intents a question in policy form may be misread as while no application exists yet.
_POLICY_MISREADS = {
    "apply", "provide_info", "unknown", "negotiate", "explain_decision", "accept_offer",
    "compare_offers", "policy_question", "deny", "affirm", "refuse_policy_change",
}  # fmt: skip
_TERM_QUESTION_WORDS = 9  # "what's the difference between interest rate and APR" is a term
_ACCEPT_WORDS = re.compile(r"\b(?:take|accept|go with|choose|pick|sign)\b")
_LOAN_FIGURE = re.compile(MONEY)


def _answers_pending(r: Reading) -> bool:
    """Say whether the message fills a slot the advisor just asked for (and asks nothing)."""
    if not r.where.asked or cues.is_question(r.norm):
        return False
    found = parse_message(r.text, r.where.asked)
    return any(slot in found for slot in r.where.asked)


def _money_figures(norm: str) -> bool:
    return any(
        m.group(1) and (re.search(r"[km$]|thousand", m.group(0)) or len(m.group(1)) >= 3)
        for m in _LOAN_FIGURE.finditer(norm)
    )


def _policy_question(r: Reading) -> bool:
    if r.where.has_application:
        return False
    if r.base.name == "status" and re.search(r"\bwhy\b", r.norm):
        return True  # "why was my application turned down?" with none here: how it works
    if r.base.name == "explain_term" and len(r.norm.split()) > _TERM_QUESTION_WORDS:
        return cues.is_question(r.norm)  # more than "what is APR": a policy question
    if r.base.name not in _POLICY_MISREADS:
        return False
    if cues.policy_topic_cue(r.norm):
        return True
    return cues.is_question(r.norm) and not _money_figures(r.norm)


def _counter_ask(r: Reading) -> bool:
    if not r.where.has_offers or (r.where.awaiting or "").startswith("accept:"):
        return False
    if cues.rate_ask_cue(r.norm):
        return True  # "drop the rate a bit and I'll sign" bargains before it signs
    if r.base.name in ("accept_offer", "compare_offers") and _ACCEPT_WORDS.search(r.norm):
        return False
    return cues.counter_ask_cue(r.norm)


def _early_counter_ask(r: Reading) -> bool:
    """A payment or rate ask while the advisor is confirming the details (before offers)."""
    return r.where.awaiting == "confirm" and cues.payment_ask_cue(r.norm)


def _is_rule(name: str) -> Callable[[Reading], bool]:
    def guard(r: Reading) -> bool:
        found = rule_intent(r.text)
        return found is not None and found.name == name

    return guard


RULES: list[tuple[str, Callable[[Reading], bool]]] = [
    ("refuse_prompt_leak", _is_rule("refuse_prompt_leak")),
    ("refuse_discrimination", lambda r: cues.fairness_cue(r.norm) == "request"),
    ("fairness_question", lambda r: cues.fairness_cue(r.norm) == "question"),
    ("refuse_other_person", lambda r: cues.other_person_cue(r.norm)),
    ("refuse_policy_change", lambda r: cues.bypass_cue(r.norm)),
    ("why_needed", lambda r: r.where.has_slots and cues.why_needed_cue(r.norm)),
    ("negotiate", _counter_ask),
    ("negotiate", _early_counter_ask),
    ("provide_info", _answers_pending),
    ("policy_question", lambda r: cues.what_next_cue(r.norm)),
    ("policy_question", _policy_question),
]
"""(intent, guard) in order: the first guard that holds names the intent."""


def understand(text: str, where: Situation) -> Intent:
    """Return the intent of `text` in this situation (rules first, then the classifier)."""
    base = classify(text)
    reading = Reading(text=text, norm=normalise(text), base=base, where=where)
    if base.source == "rule" and base.name not in ("refuse_discrimination", "explain_term"):
        return base
    for name, guard in RULES:
        if guard(reading):
            return Intent(name, 1.0, "context") if name != base.name else base
    return base
