"""A prompt arm's declared presentation style changes the offline advisor's real replies."""

from __future__ import annotations

import re
from decimal import Decimal

from langchain_core.messages import SystemMessage

from agent.experiments import DEFAULT_VARIANTS, assign_variant
from agent.offline.phrasing import styled_templates
from prompts.loader import load_prompt, load_yaml_prompt
from tests.fakes.conversations import GOOD_APPLICANT
from tests.unit.agent.conftest import Chat


def _thread_for(arm: str) -> str:
    return next(f"t{i}" for i in range(100) if assign_variant(f"t{i}").name == arm)


def _offers_reply(advisor, arm: str) -> tuple[str, list[dict]]:
    chat = Chat(advisor, _thread_for(arm))
    for text in GOOD_APPLICANT:
        chat.say(text)
    reply = chat.say("yes")
    assert chat.state["prompt_variant"] == arm
    offers = chat.state["application"].offers  # each thread's own stored offers: drop the ids
    return reply, [o.model_dump(mode="json", exclude={"offer_id"}) for o in offers]


def _listed(reply: str) -> list[str]:
    return re.findall(r"^- Option (\d+)", reply, flags=re.M)


def test_two_arms_answer_the_same_conversation_differently(advisor):
    a, offers = _offers_reply(advisor, "A")
    b, same_offers = _offers_reply(advisor, "B")
    assert offers == same_offers  # the figures are the domain's, whatever the arm
    by_payment = sorted(offers, key=lambda o: Decimal(o["monthly_payment"]))
    by_cost = sorted(offers, key=lambda o: Decimal(o["total_cost"]))
    assert _listed(a) == [o["option"] for o in by_payment]
    assert _listed(b) == [o["option"] for o in by_cost]
    assert "I recommend option" not in a
    assert f"I recommend option {by_cost[0]['option']}: it costs you the least" in b
    assert "(as requested)" in a and "(as requested)" not in b  # concise drops the kind
    assert len(b) < len(a)
    for reply in (a, b):
        assert "subject to verification" in reply


def test_style_comes_from_the_system_prompt_front_matter():
    templates, _ = load_yaml_prompt("offline_replies")
    for variant, expected in zip(
        DEFAULT_VARIANTS, ("lowest_payment", "lowest_total_cost"), strict=True
    ):
        text, _ = load_prompt("system", variant.system_prompt_version)
        style = styled_templates(templates, [SystemMessage(text)])["style"]
        assert style["offer_order"] == expected
    plain = styled_templates(templates, [SystemMessage("no front matter")])["style"]
    assert plain == templates["style"]


def test_templates_without_style_lines_ignore_a_declared_style():
    old, _ = load_yaml_prompt("offline_replies", 3)
    text, _ = load_prompt("system", 5)
    assert styled_templates(old, [SystemMessage(text)])["style"] == {}


def test_a_status_reply_says_which_documents_accept_waits_for():
    import json

    from langchain_core.messages import ToolMessage

    from agent.offline.phrasing import phrase_tool_result

    templates, _ = load_yaml_prompt("offline_replies")
    result = {"application_id": "app_1", "status": "approved", "product": "car"}
    blocked = "Before you can accept, we need: Government-issued photo ID."
    for extra, expected in (({}, None), ({"accept_blocked": blocked}, blocked)):
        message = ToolMessage(
            json.dumps({**result, **extra}), tool_call_id="c1", name="application_status"
        )
        reply = phrase_tool_result(message, templates)
        assert "approved" in reply
        assert (blocked in reply) is (expected is not None)
