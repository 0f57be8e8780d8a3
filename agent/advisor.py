"""Assemble the advisor graph from clients built at the edge (`api/composition.py`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.language_models import BaseChatModel
from langgraph.checkpoint.base import BaseCheckpointSaver

from agent.context import GraphSettings, Prompt
from agent.experiments import DEFAULT_VARIANTS
from agent.graph import Graph, build_graph
from agent.offline.intents import INTENTS_PATH, load_classifier
from prompts.loader import load_prompt
from tools.ports import ToolDeps
from tools.registry import build_tools

PRODUCTS = "car, home, gold, education, personal and medical loans"


def warm_up() -> None:
    """Fit the offline model's intent classifier now (about half a second, once per process).

    Otherwise the first message each server process receives waits for it: with several
    workers that is one slow reply per worker, and it showed as the chat's p99.
    """
    load_classifier()


GUIDANCE = ("offer_presentation", "negotiation", "policy_qa")


def system_prompts(variants: Sequence[Any] = DEFAULT_VARIANTS) -> dict[str, Prompt]:
    """Return each experiment arm's system prompt: its system text plus the task guidance.

    The version label lists every part (e.g. "system/v2+offer_presentation/v1+..."), so a
    turn records exactly which texts produced it.
    """
    guidance = [load_prompt(name) for name in GUIDANCE]
    out = {}
    for variant in variants:
        text, version = load_prompt("system", variant.system_prompt_version)
        full = "\n\n".join([text.format(products=PRODUCTS), *(g for g, _ in guidance)])
        label = "+".join([version, *(v for _, v in guidance)])
        out[variant.name] = Prompt(full, label)
    return out


def build_advisor(
    *,
    model: BaseChatModel,
    deps: ToolDeps,
    checkpointer: BaseCheckpointSaver[str] | None,
    provider: str,
    token_budget: int = 3000,
    model_deadline_seconds: float = 90.0,
) -> Graph:
    """Return the advisor graph over ready-made clients (the composition root builds them).

    `provider` is the `provider:model` label recorded on every turn; past `token_budget`
    (estimated tokens) the older part of a thread is summarised; a model step slower than
    `model_deadline_seconds` is abandoned for the offline model's answer.
    """
    _, templates_version = load_prompt("offline_replies")
    versions = {
        "provider": provider,
        "templates": templates_version,
        "intents": INTENTS_PATH.stem.replace("_", "/"),
        "policy": f"{deps.policy.version}+{deps.policy.hash[:12]}",
    }
    return build_graph(
        model=model,
        tools=build_tools(deps),
        checkpointer=checkpointer,
        clock=deps.clock,
        settings=GraphSettings(
            prompts=system_prompts(),
            versions=versions,
            policy=deps.policy,
            token_budget=token_budget,
            model_deadline_seconds=model_deadline_seconds,
        ),
    )
