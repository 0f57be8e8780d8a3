"""Phrase tool results from templates: every figure is copied from the tool's own output."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

import yaml
from langchain_core.messages import BaseMessage, SystemMessage, ToolMessage

from lending.messages import select_reasons, status_phrase
from lending.policy import load_policy

KIND_LABELS = {
    "requested": "as requested",
    "shorter": "shorter term",
    "lower_payment": "lower payment",
    "largest_affordable": "largest affordable amount",
    "negotiated": "negotiated",
}


_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
_ORDER_KEYS: dict[str, Callable[[dict[str, Any]], float]] = {
    "lowest_payment": lambda o: float(o["monthly_payment"]),
    "lowest_total_cost": lambda o: float(o.get("total_cost", o.get("total_interest", 0))),
}


def styled_templates(templates: dict[str, Any], messages: Sequence[BaseMessage]) -> dict[str, Any]:
    """Return `templates` with `style` set from the system prompt's front matter.

    A prompt arm declares its presentation style (offer order, a recommended offer first,
    verbosity) at the top of `prompts/system/vN.md`; the offline advisor reads it here, so a
    prompt experiment changes real replies. Templates without style lines keep their behaviour.
    """
    style = dict(templates.get("style") or {})
    system = next((m for m in messages if isinstance(m, SystemMessage)), None)
    found = _FRONT_MATTER.match(str(system.content)) if system is not None else None
    if found and "style" in templates:
        style.update(_declared_style(found.group(1)))
    return {**templates, "style": style}


@lru_cache(maxsize=32)
def _declared_style(front_matter: str) -> dict[str, Any]:
    """Parse a prompt's front matter once: the same few prompts open every chat turn."""
    declared = yaml.safe_load(front_matter) or {}
    return dict(declared.get("style") or {})


def money(value: Any) -> str:
    """Format a USD amount with thousands separators and cents."""
    return f"{float(value):,.2f}"


def label(product: Any) -> str:
    """Return the product's name as said in a sentence."""
    products = load_policy().products
    if str(product) not in products:
        return f"{product} loan"
    # the policy's label, without its gloss: "Gold loan (secured by gold)" -> "gold loan"
    return products[str(product)].label.split(" (")[0].lower()


def offer_fields(offer: dict[str, Any]) -> dict[str, Any]:
    """Return an offer's fields formatted for a template."""
    return {
        "index": offer.get("offer_id", "?"),
        "kind": KIND_LABELS.get(str(offer.get("kind")), str(offer.get("kind", ""))),
        "amount": money(offer["amount"]),
        "tenure_months": offer["tenure_months"],
        "annual_rate_pct": offer["annual_rate_pct"],
        "apr_pct": offer.get("apr_pct", offer["annual_rate_pct"]),
        "monthly_payment": money(offer["monthly_payment"]),
        "total_cost": money(offer.get("total_cost", offer.get("total_interest", 0))),
    }


def phrase_tool_result(message: ToolMessage, t: dict[str, Any]) -> str:
    """Return the reply for one tool result."""
    try:
        result = json.loads(str(message.content))
    except json.JSONDecodeError:
        return str(t["tool_error"]).format(error=str(message.content)[:200])
    if message.status == "error" or (isinstance(result, dict) and "error" in result):
        error = result.get("error", "unknown error") if isinstance(result, dict) else result
        return str(t["tool_error"]).format(error=error)
    phrase: Callable[[Any, dict[str, Any]], str] = _PHRASES.get(str(message.name), _phrase_generic)
    text = phrase(result, t)
    if "APR" in text and str(t["disclaimer"]) not in text:
        text += "\n" + str(t["disclaimer"])  # every reply presenting offers carries it
    return text


def _phrase_quote(r: dict[str, Any], t: dict[str, Any]) -> str:
    return str(t["quote"]).format(
        label=label(r["product"]),
        amount=money(r["amount"]),
        tenure_months=r["tenure_months"],
        annual_rate_pct=r["annual_rate_pct"],
        monthly_payment=money(r["monthly_payment"]),
        total_interest=money(r["total_interest"]),
        policy_version=r["policy_version"],
    )


def _offer_lines(offers: list[dict[str, Any]], t: dict[str, Any]) -> list[str]:
    if not offers:
        return [str(t["no_offers"])]
    style = t.get("style") or {}
    order = str(style.get("offer_order", "as_given"))
    if order in _ORDER_KEYS:
        offers = sorted(offers, key=_ORDER_KEYS[order])  # stable: ties keep the tool's order
    concise = style.get("verbosity") == "concise"
    lines = []
    if style.get("lead_with_recommended"):
        lines.append(str(t["recommended"][order]).format(index=offers[0].get("offer_id", "?")))
    lines.append(str(t["offers_intro"]))
    line = t["offer_line_concise"] if concise else t["offer_line"]
    lines += ["- " + str(line).format(**offer_fields(o)) for o in offers]
    lines.append(str(t["offers_outro_concise" if concise else "offers_outro"]))
    return lines


def _reason_lines(reasons: list[Any], t: dict[str, Any], outcome: str = "declined") -> list[str]:
    texts = select_reasons(outcome, reasons)  # the customer wording: no tier, at most four
    return [str(t["reasons_intro"]), *[f"- {x}" for x in texts]] if texts else []


def _suggestion_lines(suggestions: list[dict[str, Any]], t: dict[str, Any]) -> list[str]:
    if not suggestions:
        return [str(t["no_suggestions"])]
    return [str(t["suggestions_intro"]), *[f"- {s['message']}" for s in suggestions]]


def _phrase_application(r: dict[str, Any], t: dict[str, Any]) -> str:
    decision = r["decision"]
    outcome = decision["outcome"]
    head = str(t["decision"][outcome]).format(
        label=label(decision["product"]),
        application_id=r["application_id"],
        risk_tier=decision.get("risk_tier", "?"),
        documents="; ".join(decision.get("required_documents", [])) or "no extra documents",
    )
    lines = [head]
    if outcome in ("approved", "conditionally_approved"):
        lines += _offer_lines(r.get("offers", []), t)
        lines.append(str(t["disclaimer"]))
    elif outcome == "declined":
        lines += _reason_lines(decision.get("reasons", []), t)
        lines += _suggestion_lines(r.get("suggestions", []), t)
        if r.get("offers"):
            lines += _offer_lines(r["offers"], t)
    return "\n".join(lines)


def _phrase_negotiation(r: dict[str, Any], t: dict[str, Any]) -> str:
    key = "negotiation_met" if r.get("met") else "negotiation_not_met"
    lines = [str(t[key]).format(explanation=r.get("explanation", ""))]
    offer = r.get("offer") or r.get("alternative")
    if offer:
        fields = offer_fields(offer)
        lines.append(str(t["negotiated_offer"]).format(**fields))
        lines.append(str(t["negotiation_tail"]).format(index=fields["index"]))
    return "\n".join(lines)


def _phrase_accept(r: dict[str, Any], t: dict[str, Any]) -> str:
    fields = offer_fields(r["offer"])
    return str(t["accepted"]).format(
        offer_id=r["offer_id"],
        application_id=r["application_id"],
        status=status_phrase(r["status"]),
        **{k: v for k, v in fields.items() if k != "index"},
    )


def _phrase_compare(r: dict[str, Any], t: dict[str, Any]) -> str:
    lines = [str(t["compare_intro"])]
    for row in r["rows"]:
        fields = offer_fields(row["offer"])
        lines.append(
            "- "
            + str(t["compare_row"]).format(
                pros="; ".join(row.get("pros", [])) or "none",
                cons="; ".join(row.get("cons", [])) or "none",
                **fields,
            )
        )
    lines.append(
        str(t["compare_best"]).format(
            best_payment=r["best_payment"],
            best_total_cost=r["best_total_cost"],
            fastest_payoff=r["fastest_payoff"],
        )
    )
    return "\n".join(lines)


def _phrase_explain(r: dict[str, Any], t: dict[str, Any]) -> str:
    lines = [
        str(t["status"]).format(
            application_id=r["application_id"],
            label=label(r.get("product", "")),
            status=status_phrase(r["outcome"]),
        )
    ]
    lines += _reason_lines(r.get("reasons", []), t, r["outcome"])
    if r["outcome"] != "approved":
        lines += _suggestion_lines(r.get("suggestions", []), t)
    return "\n".join(lines)


def _phrase_status(r: dict[str, Any], t: dict[str, Any]) -> str:
    if not r.get("application_id"):
        return str(t["status_none"])
    line = str(t["status"]).format(
        application_id=r["application_id"],
        label=label(r.get("product", "")),
        status=status_phrase(r["status"]),
    )
    blocked = r.get("accept_blocked")  # the catalogue's words for a conditional approval
    return f"{line}\n{blocked}" if blocked else line


def _phrase_search(r: dict[str, Any], t: dict[str, Any]) -> str:
    passages = r.get("passages", [])
    if not passages:
        return str(t["policy_none"])
    lines = [str(t["policy_answer"])]
    lines += [
        str(t["policy_passage"]).format(text=p["text"].strip(), index=p["ref"])
        for p in passages[:2]
    ]
    sources = "; ".join(
        f"[{p['ref']}] {p['title']} - {p['section']} ({p['url']})" for p in passages
    )
    lines.append(str(t["policy_sources"]).format(sources=sources))
    return "\n".join(lines)


def _phrase_handover(r: dict[str, Any], t: dict[str, Any]) -> str:
    return str(t["handover"]).format(ticket_id=r["ticket_id"])


def _phrase_generic(r: Any, t: dict[str, Any]) -> str:
    return str(t["noted"])


_PHRASES = {
    "quote_loan": _phrase_quote,
    "submit_application": _phrase_application,
    "make_offers": _phrase_application,
    "negotiate_offer": _phrase_negotiation,
    "accept_offer": _phrase_accept,
    "compare_offers": _phrase_compare,
    "explain_decision": _phrase_explain,
    "application_status": _phrase_status,
    "search_policy": _phrase_search,
    "request_human": _phrase_handover,
}
