"""Customer-facing text: decisions, reasons, field errors and statuses in plain language.

The engine's own strings (`Reason.message`, pydantic's errors) are written for staff and
logs: lower case, with probabilities and tier letters. Applicants read this catalogue instead,
so the API, the chat's offline advisor and the web app (which gets `messages_v1.yaml` as JSON
at build time) say the same thing. The texts live in the YAML; this module only selects and
fills them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from lending.policy import Outcome, Policy, load_policy
from lending.schemas import Decision, Reason

CATALOGUE_PATH = Path(__file__).with_name("messages_v1.yaml")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class OutcomeText(_Frozen):
    """How a decision reads to the applicant."""

    headline: str
    lead: str
    reasons_intro: str
    show_rate: bool


class StatusText(_Frozen):
    """An application status: its label and what happens next."""

    label: str
    next: str


class DocumentText(_Frozen):
    """A conditional approval's documents: their states and why Accept waits for them."""

    provided: str
    outstanding: str
    accept_blocked: str
    remaining: str
    all_in: str
    manage: str
    unknown: str
    confirm_provided: str
    which: str
    not_marked: str
    marked: str
    still_needed: str
    accept_open: str


class MessageCatalogue(_Frozen):
    """The parsed catalogue; see messages_v1.yaml for what each part is for."""

    version: int
    max_reasons: int
    hidden_codes: list[str]
    model_reasons_for: list[Outcome]
    outcomes: dict[Outcome, OutcomeText]
    reasons: dict[str, str]
    statuses: dict[str, StatusText]
    status_phrases: dict[str, str]
    fields: dict[str, str]
    field_names: dict[str, str]
    constraints: dict[str, str]
    plurals: dict[str, str]
    documents: DocumentText
    conversation_title: str
    conversation_topic: str


class CustomerDecision(_Frozen):
    """A decision as the applicant sees it: at most `max_reasons` specific sentences."""

    outcome: Outcome
    headline: str
    lead: str
    reasons_intro: str
    reasons: list[str]
    show_rate: bool
    required_documents: list[str]


@cache
def catalogue(path: Path = CATALOGUE_PATH) -> MessageCatalogue:
    """Load (once) and return the message catalogue."""
    return MessageCatalogue.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def sentence(text: str) -> str:
    """Return `text` in sentence case without a trailing full stop (lists add none)."""
    text = text.strip().rstrip(".")
    return text[:1].upper() + text[1:] if text else text


def _money(value: str | None) -> str:
    try:
        amount = Decimal(value or "")
    except InvalidOperation:
        return value or ""
    return f"${amount:,.0f}" if amount == amount.to_integral_value() else f"${amount:,.2f}"


def reason_text(reason: Reason, messages: MessageCatalogue | None = None) -> str:
    """Return one reason in words; codes without a template fall back to the engine's text."""
    messages = messages or catalogue()
    template = messages.reasons.get(reason.code)
    if template is None or (reason.limit is None and "{limit" in template):
        return sentence(reason.message)
    return template.format(
        limit=reason.limit, actual=reason.actual, limit_money=_money(reason.limit)
    )


def _as_reason(raw: Reason | Mapping[str, Any] | str) -> Reason:
    """Read a reason from a tool's JSON; anything unrecognised counts as a model reason."""
    if isinstance(raw, Reason):
        return raw
    if isinstance(raw, Mapping):
        try:
            return Reason.model_validate(dict(raw))
        except ValidationError:
            return Reason(code="MODEL_REASON", message=str(raw.get("message", "")))
    return Reason(code="MODEL_REASON", message=str(raw))


def customer_reasons(decision: Decision, messages: MessageCatalogue | None = None) -> list[str]:
    """Return the reasons an applicant sees for `decision` (see `select_reasons`)."""
    return select_reasons(decision.outcome, decision.reasons, messages)


def select_reasons(
    outcome: str,
    reasons: Iterable[Reason | Mapping[str, Any] | str],
    messages: MessageCatalogue | None = None,
) -> list[str]:
    """Return the reasons an applicant sees: specific, deduplicated, at most `max_reasons`.

    Tier and probability lines are dropped; model reasons explain only a decline, a referral or
    a condition, never an approval. Accepts models or their JSON (tool outputs in the chat).
    """
    messages = messages or catalogue()
    out: list[str] = []
    for reason in map(_as_reason, reasons):
        if reason.code in messages.hidden_codes:
            continue
        if reason.code == "MODEL_REASON" and outcome not in messages.model_reasons_for:
            continue
        text = reason_text(reason, messages)
        if text and text.lower() not in (t.lower() for t in out):
            out.append(text)
    return out[: messages.max_reasons]


def customer_decision(decision: Decision) -> CustomerDecision:
    """Return the decision as the applicant reads it (headline, lead, reasons, rate shown?)."""
    messages = catalogue()
    text = messages.outcomes[decision.outcome]
    return CustomerDecision(
        outcome=decision.outcome,
        headline=text.headline,
        lead=text.lead,
        reasons_intro=text.reasons_intro,
        reasons=customer_reasons(decision, messages),
        show_rate=text.show_rate,
        required_documents=list(decision.required_documents),
    )


def status_text(status: str) -> StatusText:
    """Return a status label and next step; unknown statuses read as their words."""
    known = catalogue().statuses.get(status)
    return known or StatusText(label=sentence(status.replace("_", " ")), next="")


def status_phrase(status: str) -> str:
    """Return a status or outcome as it reads in a sentence ("with a loan officer for review")."""
    return catalogue().status_phrases.get(status, status.replace("_", " "))


def conversation_title(product: str, amount: Decimal | str, policy: Policy | None = None) -> str:
    """Return a conversation's title from its application: "Car loan, $18,000"."""
    policy = policy or load_policy()
    label = policy.product(product).label if product in policy.products else sentence(product)
    return catalogue().conversation_title.format(product=label, amount=_money(str(amount)))


def conversation_topic(product: str, policy: Policy | None = None) -> str:
    """Return a conversation's title before it has an application: "Car loan question"."""
    policy = policy or load_policy()
    label = policy.product(product).label if product in policy.products else sentence(product)
    return catalogue().conversation_topic.format(product=label)


def accept_blocked(outstanding: Iterable[str]) -> str:
    """Return why Accept waits: the documents a conditional approval still needs, by name."""
    return catalogue().documents.accept_blocked.format(documents="; ".join(outstanding))


def documents_remaining(left: int, total: int) -> str:
    """Return how many of a conditional approval's documents are still needed, or 'all in'."""
    texts = catalogue().documents
    return texts.all_in if left == 0 else texts.remaining.format(left=left, total=total)


def unknown_document(name: str, required: Iterable[str]) -> str:
    """Return the refusal for marking a document the application never asked for."""
    listed = "; ".join(required) or "none"
    return catalogue().documents.unknown.format(name=name, documents=listed)


def plural(count: int | Decimal, word: str) -> str:
    """Return "1 dependent", "2 dependents" (irregular plurals from the catalogue)."""
    many = catalogue().plurals.get(word, f"{word}s")
    return f"{count} {word if count == 1 else many}"


def range_error(field: str, product_name: str, policy: Policy | None = None) -> str | None:
    """Return "Term must be between 6 and 84 months for a car loan", or None if not ranged."""
    template = catalogue().fields.get(field)
    policy = policy or load_policy()
    if template is None or product_name not in policy.products:
        return None
    product = policy.product(product_name)
    bounds = product.amount if field == "amount" else product.tenure_months
    return template.format(
        min=bounds.min,
        max=bounds.max,
        min_money=_money(str(bounds.min)),
        max_money=_money(str(bounds.max)),
        product=product.label.lower(),
    )


def _product_in(body: object) -> str | None:
    if not isinstance(body, Mapping):
        return None
    for holder in (body, body.get("request")):
        if isinstance(holder, Mapping) and isinstance(holder.get("product"), str):
            return str(holder["product"])
    return None


def field_error(error: Mapping[str, Any], body: object = None) -> str:
    """Return a pydantic validation error as a sentence naming the field, never pydantic's text.

    Amount and term errors name the product's range from the policy when the body says which
    product it is; other constraints use the catalogue's wording with the limit pydantic gives.
    """
    messages = catalogue()
    loc = [str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path")]
    name = loc[-1] if loc else ""
    product = _product_in(body)
    if product is not None and name in messages.fields:
        ranged = range_error(name, product)
        if ranged is not None:
            return ranged
    label = messages.field_names.get(name, sentence(name.replace("_", " ")) or "This value")
    kind = str(error.get("type", ""))
    if kind == "value_error":  # our own validators' messages are already written for people
        return sentence(str(error.get("msg", "")).removeprefix("Value error, "))
    template = messages.constraints.get(kind, messages.constraints["default"])
    ctx = error.get("ctx") or {}
    limit = next((ctx[k] for k in ("gt", "ge", "lt", "le") if k in ctx), "")
    return template.format(field=label, field_lower=label.lower(), limit=limit)
