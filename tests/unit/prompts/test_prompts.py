import re
import string

import pytest

from prompts.loader import load_prompt, load_yaml_prompt, versions

DECLARED = {
    "system": {"products"},
    "summary": {"summary", "facts"},
    "offer_presentation": set(),
    "negotiation": set(),
    "policy_qa": set(),
}
# Placeholders the offline phrasing fills (from tool outputs or the applicant's words).
TEMPLATE_FIELDS = {
    "missing", "example", "label", "amount", "tenure_months", "annual_rate_pct",
    "monthly_payment", "total_interest", "policy_version", "question", "error", "summary",
    "application_id", "risk_tier", "documents", "index", "kind", "apr_pct", "total_cost",
    "explanation", "offer_id", "status", "pros", "cons", "best_payment", "best_total_cost",
    "fastest_payoff", "text", "sources", "ticket_id", "outcome", "note",
    "named", "options", "first",  # v4 consent: the offer number named, the ones that exist
}  # fmt: skip


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize(("name", "declared"), sorted(DECLARED.items()))
def test_markdown_prompts_use_exactly_their_declared_variables(name, declared):
    for version in versions(name):
        text, label = load_prompt(name, version)
        assert _fields(text) == declared, label
        text.format(**dict.fromkeys(declared, "x"))  # renders


def _strings(node):
    if isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, str):
        yield node


@pytest.mark.parametrize("version", versions("offline_replies"))
def test_reply_templates_only_use_known_fields(version):
    templates, _ = load_yaml_prompt("offline_replies", version)
    for text in _strings(templates):
        assert _fields(text) <= TEMPLATE_FIELDS, text


def test_latest_reply_templates_carry_no_figures_of_their_own():
    templates, _ = load_yaml_prompt("offline_replies")
    for text in _strings(templates):
        digits = re.findall(r"\d+", text.replace("option 1", ""))
        assert not digits, text


def test_every_turn_records_a_prompt_version():
    _, label = load_prompt("system", 2)
    assert label == "system/v2"
