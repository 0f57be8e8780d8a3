"""Retrieval quality and latency: recall@5, MRR@10 and p50/p95 query latency per mode.

Builds the knowledge base from the shipped corpus in a temporary var/ (embedded index, real
MiniLM encoder), runs the labelled applicant questions (evals/datasets/
retrieval_questions_v1.yaml) through lexical, dense and hybrid retrieval, prints a table and
ends with one JSON line. Latency covers query processing, the query embedding, retrieval,
fusion and MMR, i.e. one `KnowledgeBase.search` call.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.config import Settings  # noqa: E402
from retrieval.evaluation import evaluate, load_questions  # noqa: E402
from retrieval.service import build_knowledge_base  # noqa: E402

TARGETS = {"recall_at_5": 0.95, "mrr_at_10": 0.85, "p50_ms": 20.0}


def main() -> None:
    with tempfile.TemporaryDirectory() as var:
        start = time.perf_counter()
        kb = build_knowledge_base(Settings(var_dir=Path(var)))
        build_s = time.perf_counter() - start
        questions = load_questions()
        docs = len(kb.index.indexed_versions())
        print(
            f"corpus: {docs} documents; built in {build_s:.1f}s "
            f"({kb.cache.misses} chunks embedded, rest from the shipped cache)"
        )
        print(f"questions: {len(questions)}; load average {os.getloadavg()[0]:.2f}")
        rows = {}
        for mode in ("lexical", "dense", "hybrid"):
            r = evaluate(kb, questions, mode)
            rows[mode] = {
                "recall_at_5": round(r.recall_at_5, 4),
                "hit_at_5": round(r.hit_at_5, 4),
                "mrr_at_10": round(r.mrr_at_10, 4),
                "p50_ms": round(r.p50_ms, 2),
                "p95_ms": round(r.p95_ms, 2),
                "misses": r.misses,
            }
    print(f"{'mode':8} {'recall@5':>9} {'hit@5':>7} {'MRR@10':>7} {'p50 ms':>7} {'p95 ms':>7}")
    for mode, r in rows.items():
        print(
            f"{mode:8} {r['recall_at_5']:9.3f} {r['hit_at_5']:7.3f} {r['mrr_at_10']:7.3f} "
            f"{r['p50_ms']:7.2f} {r['p95_ms']:7.2f}  misses={','.join(r['misses']) or '-'}"
        )
    hybrid = rows["hybrid"]
    met = (
        hybrid["recall_at_5"] >= TARGETS["recall_at_5"]
        and hybrid["mrr_at_10"] >= TARGETS["mrr_at_10"]
        and hybrid["p50_ms"] < TARGETS["p50_ms"]
    )
    print(f"targets (hybrid recall@5>=0.95, MRR@10>=0.85, p50<20ms): {'met' if met else 'NOT met'}")
    print(
        json.dumps(
            {
                "bench": "retrieval",
                "documents": docs,
                "questions": len(questions),
                "build_s": round(build_s, 2),
                "modes": {
                    m: {k: v for k, v in r.items() if k != "misses"} for m, r in rows.items()
                },
                "targets_met": met,
            }
        )
    )


if __name__ == "__main__":
    main()
