"""The offline advisor's dialogue manager: a table of intent handlers with guard predicates.

`next_move` walks `HANDLERS` top to bottom; the first entry whose guard holds and whose
handler returns a move decides the turn, and collecting the application is the default.
Each row is one behaviour that can be read, tested and reordered on its own. Mid-application
answers (policy, fairness, "why do you need this") end with the question still pending, so
the applicant is never left without a next step.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from agent.offline.dialogue import LOAN_SLOTS, Conversation
from agent.offline.documents import names_documents_generally, outstanding, sent_document
from agent.offline.phrasing import label, money
from agent.offline.policy import (
    REFUSALS,
    TERMS,
    Move,
    accept_move,
    application_args,
    confirmed_offer,
    consent_templates,
    negotiation_ask,
    negotiation_target,
)
from agent.offline.turn import (
    Guard,
    Handler,
    Turn,
    accepting,
    all_of,
    awaiting_documents,
    bound,
    collect,
    complete,
    confirming,
    deciding,
    empty,
    fresh,
    has_offers,
    no_offers,
    pending_prompt,
    providing,
    refused,
    said,
    several_offers,
    then_pending,
)
from agent.offline.validate import limit_query
from lending.messages import catalogue, plural
from lending.negotiation import stepped_rate
from lending.policy import load_policy

ZERO_RATE = re.compile(
    r"\b0\s*(?:%|percent)|interest[- ]free|zero (?:interest|percent|rate)|no interest"
)
POLICY_PASSAGES = 5  # passages retrieved per question; the reply quotes the best and lists all
_REASKED_FACT = 2  # the same refused value twice is a fact about the applicant, not a slip


# -- handlers -----------------------------------------------------------------------------
def _refuse(turn: Turn) -> Move:
    text = str(turn.t["refuse"][REFUSALS[turn.intent]])
    return then_pending(text, turn) if not turn.deciding else Move(text=text)


def _refused_value(turn: Turn) -> Move:
    """Refuse a value outside policy: look its rule up (to cite it), or say so and ask again."""
    problem = turn.conv.rejected[0]
    seen = turn.conv.refused_before.get((problem.slot, str(problem.value)), 0)
    if problem.slot == "age" and seen >= _REASKED_FACT and "request_human" in turn.tools:
        return Move(tool="request_human", args={"reason": str(turn.t["underage_reason"])})
    product = turn.conv.slots.get("product")
    query = limit_query(problem, product)
    if query is not None and "search_policy" in turn.tools:
        args: dict[str, Any] = {"query": query, **({"product": product} if product else {})}
        return Move(tool="search_policy", args=args)
    return refusal_reply(turn.conv, turn.t, [])


def refusal_reply(conv: Conversation, t: dict[str, Any], passages: list[dict[str, Any]]) -> Move:
    """Say why the latest value was refused (citing the passage stating the rule), ask again."""
    problem = conv.rejected[0]
    error = str(t["income_positive"]) if problem.slot == "annual_income" else problem.text
    error = error.rstrip(".")
    digits = set(re.findall(r"\d[\d,]*", error))
    source = next((p for p in passages if digits <= set(re.findall(r"\d[\d,]*", p["text"]))), None)
    if source is not None:
        error += f" [{source['ref']}]"
    ask = t["ask"].get(problem.slot) or t["ask"]["loan"]
    return Move(
        text=str(t["value_refused"]).format(error=error, question=ask), asked=[problem.slot]
    )


def _submit(turn: Turn) -> Move:
    return Move(tool="submit_application", args=application_args(turn.conv.slots))


def _accept(turn: Turn) -> Move | None:
    offer_id = confirmed_offer(turn.conv, turn.intent, turn.conv.last_text)
    if offer_id is None or turn.conv.application is None or "accept_offer" not in turn.tools:
        return None
    return Move(tool="accept_offer", args={"offer_id": offer_id})


def _document_sent(turn: Turn) -> Move | None:
    """Name back the document the applicant says is sent (marked only on a yes), or ask which."""
    missing = outstanding(turn.conv.application)
    texts = catalogue().documents
    name = sent_document(turn.conv.last_text, missing)
    if name is not None:
        return Move(text=texts.confirm_provided.format(document=name), awaiting=f"document:{name}")
    if names_documents_generally(turn.conv.last_text):
        return Move(text=texts.which.format(documents="; ".join(missing)))
    return None


def _provide_document(turn: Turn) -> Move:
    name = (turn.conv.awaiting or "").removeprefix("document:")
    return Move(tool="provide_document", args={"document": name})


def _explain_term(turn: Turn) -> Move:
    for term, pattern in TERMS.items():
        if re.search(pattern, turn.conv.last_text, re.IGNORECASE):
            return Move(text=str(turn.t["explain"][term]))
    return Move(text=str(turn.t["explain_unknown"]))


def _why_needed(turn: Turn) -> Move:
    pending = pending_prompt(turn.conv, turn.t)
    key = "confirm" if pending is not None and pending.awaiting else None
    if key is None:
        question = turn.conv.next_question()
        key = question[0] if question is not None else "loan"
    return then_pending(str(turn.t["why"].get(key, turn.t["why"]["loan"])), turn)


def _search_policy(turn: Turn) -> Move:
    args: dict[str, Any] = {"query": turn.conv.last_text, "k": POLICY_PASSAGES}
    if turn.conv.slots.get("product"):
        args["product"] = turn.conv.slots["product"]
    return Move(tool="search_policy", args=args)


# "What would the monthly payment be?" after a quote asks for this applicant's figure, not
# the policy sheet's worked example; "how do you work out my payment?" still asks the policy.
_PAYMENT_ASK = re.compile(
    r"\b(?:monthly (?:payment|repayment|instal?ment)s?|emi|instal?ments?|"
    r"(?:pay|owe) (?:each|every|per|a) month|per month|each month|a month)\b",
    re.IGNORECASE,
)
_VALUE_ASK = re.compile(r"\b(?:what|how much)\b", re.IGNORECASE)
_METHOD_ASK = re.compile(
    r"\b(?:calculat\w*|work(?:ed|s)? out|formula|how (?:is|are|do|does)|why|late|miss\w*|"
    r"early|change|lower|reduce|smaller|fees?)\b",
    re.IGNORECASE,
)


def asks_quoted_payment(turn: Turn) -> bool:
    """Say whether the applicant asks what the loan just quoted would cost them a month."""
    text = turn.conv.last_text
    return (
        turn.conv.quoted is not None
        and not turn.conv.offers()
        and bool(_PAYMENT_ASK.search(text) and _VALUE_ASK.search(text))
        and not _METHOD_ASK.search(text)
    )


def asks_policy(turn: Turn) -> bool:
    """Say whether a policy-sounding message asks the policy, not to change the loan."""
    conv = turn.conv
    return not any(k in LOAN_SLOTS for k in (*conv.changed, *conv.added))


def _requote(turn: Turn) -> Move:
    """Price the loan under discussion again: its figures come from the tool, never recalled."""
    conv = turn.conv
    known = all(k in conv.slots for k in LOAN_SLOTS)
    loan = tuple(conv.slots[k] for k in LOAN_SLOTS) if known else tuple(conv.quoted or ())
    return Move(tool="quote_loan", args=dict(zip(LOAN_SLOTS, loan, strict=True)))


def _status(turn: Turn) -> Move:
    if turn.conv.application is None or "application_status" not in turn.tools:
        return Move(text=str(turn.t["status_none"]))
    return Move(tool="application_status")


def _negotiate(turn: Turn) -> Move:
    conv, text = turn.conv, turn.conv.last_text
    target = negotiation_target(conv, text)
    if target is None:
        return accept_move(conv, text, turn.t)  # names an offer that does not exist
    ask = negotiation_ask(text)
    if ask == {"kind": "rate"} and not ZERO_RATE.search(text):
        step = _rate_step(conv, target)
        if step is not None:
            ask["value"] = float(step)
    return Move(tool="negotiate_offer", args={"offer_id": target, **ask})


def _rate_step(conv: Conversation, target: str) -> Decimal | None:
    """Return the next stepped rate for a plain "lower rate" ask on offer `target`."""
    decision = (conv.application or {}).get("decision") or {}
    offer = next((o for o in conv.offers() if str(o.get("offer_id")) == target), None)
    if offer is None or not decision.get("risk_tier") or not decision.get("product"):
        return None
    current = Decimal(str(offer["annual_rate_pct"]))
    return stepped_rate(load_policy(), decision["product"], decision["risk_tier"], current)


def _compare(turn: Turn) -> Move:
    ids = [o["offer_id"] for o in turn.conv.offers()]
    return Move(tool="compare_offers", args={"offer_ids": ids})


def _early_counter_ask(turn: Turn) -> Move | None:
    pending = pending_prompt(turn.conv, turn.t)
    if pending is None:
        return None
    text = str(turn.t["counter_ask_confirm"]).format(question=pending.text)
    return Move(text=text, asked=pending.asked, awaiting=pending.awaiting)


def _collect_with_notes(turn: Turn) -> Move:
    move = collect(turn)
    if move.tool is not None:
        return move
    conv, t = turn.conv, turn.t
    again = bool(move.asked) and move.asked == conv.asked  # the last question, unanswered
    if conv.changed:
        note = str(t["corrected"]).format(summary=_changes(conv.changed))
        move.text = f"{note} {move.text}"
    elif turn.intent == "negotiate" and not conv.offers():
        move.text = f"{t['negotiate_later']} {move.text}"
    elif again and conv.added and (noted := _noted(conv.added, t.get("noted_fields", {}))):
        # Said back, or the applicant hears the same question and thinks they went unheard.
        move.text = f"{str(t['noted_extra']).format(summary=noted)} {move.text}"
    elif again and "reask" in t:
        move.text = f"{t['reask']} {move.text}"
    return move


_MONEY_SLOTS = frozenset(
    {
        "amount",
        "annual_income",
        "monthly_debt_payments",
        "savings_balance",
        "checking_balance",
        "gold_value",
    }
)


def _noted(added: dict[str, Any], fields: dict[str, Any]) -> str:
    """Say the details a message gave unasked, in the templates' words ("savings of $8,000.00")."""
    parts = []
    for slot, value in added.items():
        known = value is not None
        template = fields.get(slot if known else f"{slot}_unknown")
        if isinstance(template, dict):
            template = template.get(str(value))
        if template is None:
            continue
        shown = money(value) if slot in _MONEY_SLOTS and known else str(value)
        parts.append(str(template).format(value=label(value) if slot == "product" else shown))
    if not parts:
        return ""
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def _changes(changed: dict[str, tuple[Any, Any]]) -> str:
    """Say which values changed, in the catalogue's field names ("Term 60 months")."""
    names = catalogue().field_names
    parts = []
    for slot, (_old, new) in changed.items():
        if slot in ("amount", "annual_income"):
            value = f"${money(new)}"
        elif slot == "tenure_months":
            value = plural(int(new), "month")
        elif slot == "product":
            value = label(new)
        else:
            value = str(new)
        parts.append(f"{names.get(slot, slot)} {value}")
    return "; ".join(parts)


def _text(key: str) -> Handler:
    return lambda turn: Move(text=str(turn.t[key]))


def _courtesy(turn: Turn) -> Move:
    return Move(text=str(turn.t[turn.intent]))


def _handover(_turn: Turn) -> Move:
    return Move(tool="request_human", args={"reason": "applicant asked for a person"})


def _cancel_accept(turn: Turn) -> Move:
    return Move(text=str(consent_templates(turn.t)["accept_cancelled"]))


def _fairness(turn: Turn) -> Move:
    return then_pending(str(turn.t["fairness"]), turn)


def _explain_decision(_turn: Turn) -> Move:
    return Move(tool="explain_decision")


def _accept_named(turn: Turn) -> Move:
    return accept_move(turn.conv, turn.conv.last_text, turn.t)


HANDLERS: list[tuple[str, Guard, Handler]] = [
    ("refusal", lambda u: u.intent in REFUSALS, _refuse),
    ("refused value", refused, _refused_value),
    ("submit on yes", all_of(said("affirm"), confirming, complete, bound("submit_application")),
     _submit),
    ("change on no", all_of(said("deny"), confirming), _text("ask_change")),
    ("accept on yes", accepting, _accept),
    ("cancel accept", all_of(said("deny"), accepting), _cancel_accept),
    ("document on yes", all_of(said("affirm"), providing, bound("provide_document")),
     _provide_document),
    ("document kept on no", all_of(said("deny"), providing),
     lambda _turn: Move(text=catalogue().documents.not_marked)),
    ("document sent", all_of(awaiting_documents, bound("provide_document")), _document_sent),
    ("courtesy", said("thanks", "goodbye", "out_of_scope"), _courtesy),
    ("handover", all_of(said("human"), bound("request_human")), _handover),
    ("status", said("status"), _status),
    ("explain a term", said("explain_term"), _explain_term),
    ("fairness", said("fairness_question"), _fairness),
    ("why needed", said("why_needed"), _why_needed),
    ("quoted payment", all_of(said("policy_question"), asks_quoted_payment, bound("quote_loan")),
     _requote),
    ("policy", all_of(said("policy_question"), asks_policy, bound("search_policy")),
     _search_policy),
    ("explain decision", all_of(deciding, said("explain_decision"), bound("explain_decision")),
     _explain_decision),
    ("compare", all_of(deciding, said("compare_offers"), several_offers, bound("compare_offers")),
     _compare),
    ("nothing to accept", all_of(deciding, said("accept_offer"), no_offers),
     _text("no_offer_to_accept")),
    ("accept", all_of(deciding, said("accept_offer"), bound("accept_offer")), _accept_named),
    ("negotiate", all_of(deciding, said("negotiate"), has_offers, bound("negotiate_offer")),
     _negotiate),
    ("counter-ask at confirm", all_of(said("negotiate"), no_offers, confirming),
     _early_counter_ask),
    ("no application", all_of(fresh, said("explain_decision", "compare_offers", "accept_offer")),
     _text("no_application")),
    ("greeting", all_of(said("greet"), empty), _text("greeting")),
    ("not understood", all_of(said("unknown"), empty), _text("fallback")),
]  # fmt: skip
"""(name, guard, handler) in order of precedence; `collect` runs when none decides."""


def next_move(conv: Conversation, tools: set[str], t: dict[str, Any]) -> Move:
    """Decide the reply to the applicant's latest message."""
    turn = Turn(conv=conv, tools=frozenset(tools), t=t)
    for _name, guard, handle in HANDLERS:
        if guard(turn):
            move = handle(turn)
            if move is not None:
                return move
    return _collect_with_notes(turn)
