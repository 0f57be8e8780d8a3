"""Score retrieval against a labelled question set: recall@5, MRR@10 and latency.

recall@5 is the share of a question's relevant documents found among the first five
passages (averaged over questions); hit@5 whether at least one was; MRR@10 the reciprocal
rank of the first passage from a relevant document within ten.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field

from core.errors import ValidationFailed
from retrieval.index import SearchMode
from retrieval.query import process_query
from retrieval.service import KnowledgeBase

DATASET_PATH = Path(__file__).parents[1] / "evals" / "datasets" / "retrieval_questions_v1.yaml"


class EvalQuestion(BaseModel):
    """One labelled question."""

    id: str
    question: str
    relevant: list[str] = Field(min_length=1)
    history: list[str] = Field(default_factory=list)
    product: str | None = None
    split: Literal["dev", "holdout"] = Field(
        "dev", description="dev: used while tuning; holdout: never tuned on"
    )


@dataclass(frozen=True)
class EvalReport:
    """Aggregate figures for one retrieval mode."""

    mode: SearchMode
    questions: int
    recall_at_5: float
    hit_at_5: float
    mrr_at_10: float
    p50_ms: float
    p95_ms: float
    p50_cpu_ms: float
    misses: list[str] = field(default_factory=list)


def load_questions(path: Path = DATASET_PATH) -> list[EvalQuestion]:
    """Load and validate the question set."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        raise ValidationFailed(f"{path}: expected a mapping with a 'questions' list")
    return [EvalQuestion.model_validate(q) for q in data["questions"]]


def evaluate(
    kb: KnowledgeBase, questions: list[EvalQuestion], mode: SearchMode, *, warmup: int = 3
) -> EvalReport:
    """Run every question through `kb` in `mode` and return the figures."""
    for q in questions[:warmup]:
        kb.search_processed(process_query(q.question), k=10, mode=mode)
    recalls: list[float] = []
    hits: list[float] = []
    rrs: list[float] = []
    latencies: list[float] = []
    cpu: list[float] = []
    misses: list[str] = []
    for q in questions:
        start = time.perf_counter()
        start_cpu = time.process_time()
        processed = process_query(q.question, history=q.history or None, product=q.product)
        passages = kb.search_processed(processed, k=10, mode=mode)
        latencies.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        docs = [p.doc_id for p in passages]
        relevant = set(q.relevant)
        found = relevant.intersection(docs[:5])
        recalls.append(len(found) / len(relevant))
        hits.append(1.0 if found else 0.0)
        rank = next((i for i, d in enumerate(docs[:10], start=1) if d in relevant), None)
        rrs.append(1.0 / rank if rank else 0.0)
        if not found:
            misses.append(q.id)
    ordered = sorted(latencies)
    return EvalReport(
        mode=mode,
        questions=len(questions),
        recall_at_5=statistics.fmean(recalls),
        hit_at_5=statistics.fmean(hits),
        mrr_at_10=statistics.fmean(rrs),
        p50_ms=statistics.median(latencies),
        p95_ms=ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))],
        p50_cpu_ms=statistics.median(cpu),
        misses=misses,
    )
