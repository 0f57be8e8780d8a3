"""The advisor graph as the reference LangGraph server loads it (`langgraph.json`).

`langgraph dev` imports this file and serves `graph` with its own in-memory checkpointer, so
the graph is compiled without one. Everything else comes from the same composition root the
API uses, with settings read from the environment (`LOAN_ADVISOR_VAR_DIR` and the rest):
same credit model, knowledge base, offline advisor model and tools. Only
`benchmarks/bench_serving.py` starts that server; nothing in the product imports this.
"""

from __future__ import annotations

from api.composition import build_runtime
from core.config import get_settings

graph = build_runtime(get_settings(), None).graph
