"""Assemble the advisor from settings: the one place the edges (API, CLI) get a graph from."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.caches import BaseCache
from langgraph.checkpoint.base import BaseCheckpointSaver

from agent.cache import SqliteTTLCache
from agent.context import GraphSettings, Prompt
from agent.experiments import DEFAULT_VARIANTS
from agent.graph import Graph, build_graph
from agent.offline.intents import INTENTS_PATH, load_classifier
from agent.providers import make_chat_model
from applications import ApplicationService, build_application_service
from core.clock import Clock, SystemClock
from core.config import Settings
from lending.policy import load_policy
from prompts.loader import load_prompt
from tools.ports import EventLog, PolicySearch, RiskScorer, ToolDeps
from tools.registry import build_tools
from tools.risk import LazyRiskScorer

PRODUCTS = "car, home, gold, education, personal and medical loans"


def warm_up() -> None:
    """Fit the offline model's intent classifier now (about half a second, once per process).

    Otherwise the first message each server process receives waits for it: with several
    workers that is one slow reply per worker, and it showed as the chat's p99.
    """
    load_classifier()


def default_scorer(settings: Settings) -> RiskScorer:
    """Return the configured credit model (in-process champion, HTTP or SageMaker).

    Built on first use, so the app starts - and says why - before a model exists.
    """
    from scoring.client import build_scorer

    return LazyRiskScorer(lambda: build_scorer(settings))


def default_knowledge(settings: Settings) -> PolicySearch:
    """Return the knowledge base (embedded index under var/, or OpenSearch)."""
    from retrieval.service import build_knowledge_base

    return build_knowledge_base(settings)


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


def llm_cache(settings: Settings, clock: Clock) -> BaseCache:
    """Return the LLM cache: DynamoDB when records live there (AWS), else SQLite under var/."""
    if settings.store == "dynamodb":
        import boto3

        from agent.cache_dynamodb import DynamoTTLCache

        client = boto3.client(
            "dynamodb", region_name=settings.aws_region, endpoint_url=settings.dynamodb_endpoint_url
        )
        table = f"{settings.dynamodb_table_prefix}-llm-cache"
        DynamoTTLCache.ensure_table(client, table)
        return DynamoTTLCache(client, table, clock)
    return SqliteTTLCache(settings.var_dir / "llm_cache.sqlite", clock)


def build_advisor(
    settings: Settings,
    checkpointer: BaseCheckpointSaver[str] | None,
    *,
    scorer: RiskScorer | None = None,
    knowledge: PolicySearch | None = None,
    events: EventLog | None = None,
    applications: ApplicationService | None = None,
    clock: Clock | None = None,
    token_budget: int = 3000,
) -> Graph:
    """Return the advisor graph wired with the configured provider, tools and prompts.

    Pass `scorer`/`knowledge` to override the defaults (the champion model and the
    knowledge base under `settings.var_dir`); `events` receives submitted, accepted and
    handover events for staff queues and audit; `applications` is the application service
    the tools call (default: one over the configured store); past `token_budget`
    (estimated tokens) the older part of a thread is summarised.
    """
    clock = clock or SystemClock()
    policy = load_policy()
    scorer = scorer or default_scorer(settings)
    if applications is None:  # the CLI and scripts: the application store under var/
        from storage.factory import build_repositories

        repos = build_repositories(settings, clock)
        applications = build_application_service(repos, scorer, policy, clock)
    deps = ToolDeps(
        scorer=scorer,
        applications=applications,
        policy=policy,
        clock=clock,
        knowledge=knowledge if knowledge is not None else default_knowledge(settings),
        events=events,
    )
    _, templates_version = load_prompt("offline_replies")
    versions = {
        "provider": settings.provider,
        "templates": templates_version,
        "intents": INTENTS_PATH.stem.replace("_", "/"),
        "policy": f"{policy.version}+{policy.hash[:12]}",
    }
    cache = None if settings.provider.startswith("offline") else llm_cache(settings, clock)
    return build_graph(
        model=make_chat_model(settings, cache=cache),
        tools=build_tools(deps),
        checkpointer=checkpointer,
        clock=clock,
        settings=GraphSettings(
            prompts=system_prompts(), versions=versions, policy=policy, token_budget=token_budget
        ),
    )
