"""The advisor's full tool set, built from its dependencies."""

from __future__ import annotations

from langchain_core.tools import BaseTool

from tools.application import build_application_tools
from tools.documents import build_document_tools
from tools.handover import build_handover_tools
from tools.knowledge import build_knowledge_tools
from tools.offers import build_offer_tools
from tools.ports import ToolDeps
from tools.quote import quote_loan


def build_tools(deps: ToolDeps) -> list[BaseTool]:
    """Return every tool the advisor may call, bound to `deps`."""
    return [
        quote_loan,
        *build_application_tools(deps),
        *build_offer_tools(deps),
        *build_document_tools(deps),
        *build_knowledge_tools(deps),
        *build_handover_tools(deps),
    ]
