"""Checks on what comes in and on the model's draft reply before the applicant sees it.

The rule that matters most: every number in a reply must have come from a tool
output (or the applicant's own words) in this thread, and rates and terms must
sit inside policy. A model that invents a rate or payment is caught here,
whatever the provider.
"""

from __future__ import annotations

import json
import re
import threading
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from langchain_core.messages import AnyMessage, HumanMessage, SystemMessage, ToolMessage

from agent.offline.dialogue import SLOT_GROUPS
from agent.offline.intents import rule_intent
from agent.offline.normalise import normalise
from agent.offline.parser import parse_message
from agent.offline.spoofing import neutralise_spoofed_output
from agent.wording import unsafe_phrases
from core.clock import Clock
from lending.policy import Policy

MAX_INPUT_CHARS = 4000
_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?")
_RATE = re.compile(
    r"\bat (\d+(?:\.\d+)?)\s*%|(\d+(?:\.\d+)?)\s*%\s*(?:a year|per year|per annum|p\.a\.)"
)
_APR = re.compile(r"(\d+(?:\.\d+)?)\s*%\s*APR", re.IGNORECASE)
_TERM = re.compile(r"over (\d+) months")
_INSTRUCTION = re.compile(
    r"(ignore (?:all |any )?(?:previous|prior|above) (?:instructions|rules)|"
    r"disregard (?:your|the|all) [a-z ]{0,20}instructions|system prompt|you are now|"
    r"new instructions:)",
    re.IGNORECASE,
)


def _normalise(raw: str) -> str:
    value = raw.replace(",", "").rstrip(".")
    if "." in value:
        value = value.rstrip("0").rstrip(".")
    return value


def numbers_in(text: str) -> set[str]:
    """Return the numbers in `text`, normalised (no thousands separators, no trailing .0)."""
    return {_normalise(raw) for raw in _NUMBER.findall(text)}


_SCALED = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)k\b")


def _scaled(normalised: str) -> str:
    """Write the normaliser's "10k" out as 10000, so the words it came from ground no 10."""
    return _SCALED.sub(lambda m: f"{float(m.group(1)) * 1000:.0f}", normalised)


@lru_cache(maxsize=4096)
def _said_numbers(text: str) -> frozenset[str]:
    """Numbers the applicant stated, including what "85k", "4 years" or "nothing" means.

    A bare answer means what the question asked ("7,000 a month" is 84,000 a year when the
    question was income, "nothing" is 0 debts), and the guard does not know which question a
    remote model asked: every question's reading of the applicant's own words grounds.
    Figures inside text posing as system or tool output are not the applicant's, so they
    ground nothing (a reply may not echo a fake "pre-approved for $10,000,000").
    """
    text = neutralise_spoofed_output(text)
    # "eight years" grounds the 8 a reply restates, as "85k" grounds 85,000. A number word
    # grounds only what it means: "ten grand" reads "10k", which is 10,000, not a bare 10
    # (SmolLM2 answered it with "worth around 10 grams").
    found = numbers_in(text) | numbers_in(_scaled(normalise(text)))
    readings = [parse_message(text), *(parse_message(text, slots) for _, slots in SLOT_GROUPS)]
    for reading in readings:
        for value in reading.values():
            if isinstance(value, int | float) and not isinstance(value, bool):
                found.add(_normalise(f"{float(value):.2f}"))
    return frozenset(found)


def _values(data: Any) -> Iterable[str]:
    """Yield every string and number inside decoded JSON, as text."""
    if isinstance(data, dict):
        for value in data.values():
            yield from _values(value)
    elif isinstance(data, list):
        for value in data:
            yield from _values(value)
    elif data is not None and not isinstance(data, bool):
        yield str(data)


@lru_cache(maxsize=4096)
def _returned_numbers(content: str) -> frozenset[str]:
    r"""Numbers a tool (or a summary) returned, read from its decoded JSON when it is JSON.

    The raw JSON hides some and invents others: "of\n7.3%" escapes the newline, so the 7.3
    after it follows a letter and is not read, and "\u2019" would read as 2019. Every
    turn re-reads every message of the thread, so the reading of one is kept.
    """
    try:
        data = json.loads(content)
    except ValueError:
        return frozenset(numbers_in(content))
    found: set[str] = set()
    for text in _values(data):
        found |= numbers_in(text)
    return frozenset(found)


def grounded_numbers(messages: Iterable[AnyMessage], extra: Iterable[str] = ()) -> set[str]:
    """Return every number a tool returned or the applicant said in this thread."""
    grounded: set[str] = set()
    for message in messages:
        if isinstance(message, ToolMessage | SystemMessage):
            grounded |= _returned_numbers(str(message.content))
        elif isinstance(message, HumanMessage):
            grounded |= _said_numbers(str(message.content))
    for text in extra:
        grounded |= numbers_in(text)
    return grounded


def ungrounded_numbers(
    reply: str, messages: Iterable[AnyMessage], extra: Iterable[str] = ()
) -> set[str]:
    """Return the numbers in `reply` that nothing in the thread supports."""
    return numbers_in(reply) - grounded_numbers(messages, extra)


def out_of_policy(reply: str, product: str | None, policy: Policy) -> list[str]:
    """Return the rates and terms in `reply` that the product's policy row does not allow."""
    if product is None or product not in policy.products:
        return []
    row = policy.products[product]
    problems: list[str] = []
    # Rates and APRs need a "%", terms "months": most clauses have neither (the streaming
    # guard checks every clause), and a substring test is far cheaper than the patterns.
    rates, terms = "%" in reply, "months" in reply
    for match in _RATE.finditer(reply) if rates else ():
        raw = match.group(1) or match.group(2)
        rate = _decimal(raw)
        if rate is not None and rate not in row.annual_rate_pct:
            problems.append(f"rate {raw}% outside {row.label} range")
    for match in _APR.finditer(reply) if rates else ():
        apr = _decimal(match.group(1))
        if apr is not None and apr < row.annual_rate_pct.min:
            problems.append(f"APR {match.group(1)}% below {row.label} minimum rate")
    for match in _TERM.finditer(reply) if terms else ():
        if int(match.group(1)) not in row.tenure_months:
            problems.append(f"term {match.group(1)} months outside {row.label} range")
    return problems


@dataclass(frozen=True)
class ReplyCheck:
    """What the output guard found in a reply (or part of one): empty lists mean it may show."""

    ungrounded: list[str]
    """Numbers no tool result, summary fact or applicant message of the thread supports."""

    off_policy: list[str]
    """Rates and terms outside the product's policy row, described for a person."""

    unsafe: list[str] = field(default_factory=list)
    """Unsafe wording (`agent.wording`): each the quoted phrase and what is wrong with it."""

    @property
    def ok(self) -> bool:
        """Say whether the text may be shown."""
        return not self.ungrounded and not self.off_policy and not self.unsafe

    def reason(self) -> str:
        """Return the problems as one line (the guard's note: numbers, policy, wording)."""
        return ", ".join([*self.ungrounded, *self.off_policy, *self.unsafe])

    def violation(self) -> str:
        """Return the problems as the model is told them when asked to correct itself."""
        parts = []
        if self.ungrounded:
            figures = ", ".join(self.ungrounded)
            parts.append(f"these figures appear in no tool result or applicant message: {figures}")
        parts.extend(self.off_policy)
        parts.extend(f"this wording may not be used: {hit}" for hit in self.unsafe)
        return "; ".join(parts)


def check_text(
    text: str,
    grounded: set[str],
    policy: Policy,
    product: str | None = None,
    *,
    new_from: int = 0,
) -> ReplyCheck:
    """Check `text`'s figures, terms and wording before an applicant may see it.

    Every number must be in `grounded`, every rate and term inside `product`'s policy, and
    no phrase may promise an outcome, treat a protected characteristic as a factor or
    advise deception (`agent.wording`). `new_from` is where text not yet shown begins: a
    phrase ending before it was judged when shown, with the words before it in view (a
    "never" the streaming guard's lead-in may since have cut off).
    `grounded` is `grounded_numbers(...)` of the thread, computed once by the caller. This
    is the one check behind both the graph's output guard and the API's streaming guard, so
    a sentence released while streaming passes exactly the test the finished reply must.
    """
    return ReplyCheck(
        ungrounded=sorted(numbers_in(text) - grounded),
        off_policy=out_of_policy(text, product, policy),
        unsafe=[hit.describe() for hit in unsafe_phrases(text) if hit.end > new_from],
    )


def _decimal(raw: str) -> Decimal | None:
    try:
        return Decimal(raw)
    except InvalidOperation:
        return None


@lru_cache(maxsize=4096)
def neutralise_instructions(text: str) -> str:
    """Defang instruction-like text inside data (tool results, documents) for the model.

    Applicant messages get `neutralise_spoofed_output` as well, where slots are read. Every
    model call passes the thread's tool results through here again, so results are kept.
    """
    return _INSTRUCTION.sub("[instruction removed]", text)


def input_problem(text: str, max_chars: int = MAX_INPUT_CHARS) -> str | None:
    """Return why a message must not reach the model (too long, injection), else None."""
    if len(text) > max_chars:
        return "too_long"
    if not text.strip():
        return "empty"
    intent = rule_intent(text)
    if intent is not None and intent.name == "refuse_prompt_leak":
        return "injection"
    return None


class TurnRateLimiter:
    """Allow at most `max_turns` per thread in any `window_seconds` (in-process, per worker).

    The graph's own backstop, answered with a chat message (the CLI, evals). The API limits
    turns per user before the graph runs and answers 429 with Retry-After, so behind the API
    this only fires if that limit is configured above this one.
    """

    def __init__(self, clock: Clock, max_turns: int = 20, window_seconds: float = 60.0) -> None:
        self._clock = clock
        self._max = max_turns
        self._window = window_seconds
        self._turns: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        """Record a turn for `key` and say whether it is within the limit."""
        now = self._clock.now().timestamp()
        with self._lock:
            turns = self._turns[key]
            while turns and now - turns[0] >= self._window:
                turns.popleft()
            if len(turns) >= self._max:
                return False
            turns.append(now)
            return True


def thread_grounding(
    messages: list[AnyMessage], facts: dict[str, Any] | None, product: str | None
) -> tuple[set[str], str | None]:
    """Return what a reply in this thread is checked against: grounded numbers and the product.

    `facts` are the figures a summary carried over from trimmed messages; `product` is the
    thread application's, if it has one (else the latest quote's).
    """
    grounded = grounded_numbers(messages, (facts or {}).get("numbers", []))
    about = {"application": {"request": {"product": product}}} if product else {}
    return grounded, reply_product(about, messages)


def reply_product(state: dict[str, Any], messages: Iterable[AnyMessage]) -> str | None:
    """Return the product the thread is about (application first, then the latest quote)."""
    application = state.get("application") or {}
    product = (application.get("request") or {}).get("product")
    if product:
        return str(product)
    for message in reversed(list(messages)):
        if isinstance(message, ToolMessage) and '"product"' in str(message.content):
            match = re.search(r'"product":\s*"(\w+)"', str(message.content))
            if match:
                return match.group(1)
    return None
