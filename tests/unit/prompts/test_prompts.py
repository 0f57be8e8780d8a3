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
    "correction": {"violation"},
}
TABLES = {"offline_replies"}  # YAML template tables, checked field by field below
# Placeholders the offline phrasing fills (from tool outputs or the applicant's words).
TEMPLATE_FIELDS = {
    "missing", "example", "label", "amount", "tenure_months", "annual_rate_pct",
    "monthly_payment", "total_interest", "policy_version", "question", "error", "summary",
    "application_id", "risk_tier", "documents", "index", "kind", "apr_pct", "total_cost",
    "explanation", "offer_id", "status", "pros", "cons", "best_payment", "best_total_cost",
    "fastest_payoff", "text", "sources", "ticket_id", "outcome", "note",
    "named", "options", "first",  # v4 consent: the offer number named, the ones that exist
    "value",  # v7: a detail the applicant gave, said back
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


def test_every_prompt_is_declared_so_none_skips_the_checks():
    from prompts.loader import PROMPTS_DIR

    folders = {p.name for p in PROMPTS_DIR.iterdir() if p.is_dir() and versions(p.name)}
    assert folders == DECLARED.keys() | TABLES


def _no_placeholder_left(text: str) -> None:
    assert not re.search(r"\{[a-z_]+\}", text), text


def test_system_prompts_render_with_what_the_advisor_passes():
    from agent.advisor import system_prompts
    from agent.experiments import DEFAULT_VARIANTS

    prompts = system_prompts(DEFAULT_VARIANTS)
    assert prompts.keys() == {v.name for v in DEFAULT_VARIANTS}
    for prompt in prompts.values():
        _no_placeholder_left(prompt.text)
        assert "car, home" in prompt.text


def test_summary_and_correction_render_with_what_their_callers_pass():
    from agent.guardrails import ReplyCheck
    from agent.memory import render_summary
    from agent.reply_check import correction_prompt

    summary = render_summary({"slots": {"amount": 20000}}, "the applicant asked for a quote")
    _no_placeholder_left(summary)
    assert "- Amount requested: $20,000" in summary
    check = ReplyCheck(ungrounded=["299"], off_policy=["rate 1.9% outside Car loan range"])
    (message,) = correction_prompt([], check)
    _no_placeholder_left(str(message.content))
    assert "299" in str(message.content) and "1.9%" in str(message.content)


def _tool_names() -> set[str]:
    from datetime import UTC, datetime

    from core.clock import FixedClock
    from lending.policy import load_policy
    from tests.fakes.knowledge import FakeKnowledgeBase
    from tests.fakes.scoring import RuleScorer
    from tools.ports import ToolDeps
    from tools.registry import build_tools

    deps = ToolDeps(
        scorer=RuleScorer(),
        applications=None,  # tools are only listed, never run
        policy=load_policy(),
        clock=FixedClock(datetime(2026, 11, 25, tzinfo=UTC)),
        knowledge=FakeKnowledgeBase(),  # search_policy exists only with a knowledge base
    )
    return {t.name for t in build_tools(deps)}


def test_the_latest_system_prompt_names_only_real_tools_and_all_of_them():
    text, _ = load_prompt("system")
    named = set(re.findall(r"\b[a-z]+_[a-z_]+\b", text)) - {
        "offer_order",
        "lead_with_recommended",
        "lowest_total_cost",
        "tenure_months",
    }
    tools = _tool_names()
    assert named <= tools, named - tools
    assert tools <= named, tools - named


def test_the_latest_system_prompt_explains_why_age_is_asked():
    # submit_application's schema requires age; the prompt must say it is only for legal age.
    from lending.schemas import ApplicantProfile

    assert "age" in ApplicantProfile.model_json_schema()["required"]
    text, _ = load_prompt("system")
    assert "legal age" in text and "never use it" in text
