"""Query analytics: what applicants ask, grouped into topics, and where the KB falls short.

Questions come from the event log's `question` events, which hold text already redacted of
names, amounts and identifiers (`core.redaction.redact_for_analytics`) before it was stored.
They are embedded with the KB's own encoder (MiniLM) and clustered by cosine distance
(average-linkage agglomerative clustering with a distance threshold, so the number of topics
follows the data). A topic is a gap when the best KB passage is a weak match on average
(dense cosine below `LOW_CONFIDENCE`) or when a large share of its conversations got a
thumbs-down: those are the FAQ entries and KB documents to write next.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
from pydantic import BaseModel
from sklearn.cluster import AgglomerativeClustering

from retrieval.embeddings import Encoder
from retrieval.index import SearchIndex
from storage.events import EventRecord

QUESTION_EVENT = "question"
LOW_CONFIDENCE = 0.45
THUMBS_DOWN_SHARE = 0.3
DISTANCE_THRESHOLD = 0.55
_STOP = frozenset(
    "a an and are as at be can could do does for from how i if in is it me my of on or "
    "should so that the this to what when where which who why will with would you your "
    "[amount] [name] am have get there any about much many".split()
)
Confidence = Callable[[str, np.ndarray], float]


class Topic(BaseModel):
    """A cluster of similar questions."""

    label: str
    count: int
    examples: list[str]
    mean_confidence: float | None
    thumbs_down_share: float | None
    gap: bool
    why: list[str]


def _label(texts: Sequence[str], k: int = 3) -> str:
    words = Counter(
        w for t in texts for w in set(re.findall(r"[a-z][a-z'-]+|\[[a-z]+\]", t.lower()))
        if w not in _STOP
    )  # fmt: skip
    return " / ".join(w for w, _ in words.most_common(k)) or "misc"


def _clusters(vectors: np.ndarray) -> np.ndarray:
    if len(vectors) == 1:
        return np.zeros(1, dtype=int)
    model = AgglomerativeClustering(
        n_clusters=None, distance_threshold=DISTANCE_THRESHOLD, metric="cosine", linkage="average"
    )
    return np.asarray(model.fit_predict(vectors))


def topics(
    events: Sequence[EventRecord],
    encoder: Encoder,
    confidence: Confidence | None = None,
    *,
    max_examples: int = 3,
) -> list[Topic]:
    """Cluster the `question` events into topics, largest first, with gap flags.

    `confidence(text, vector)` returns how well the KB answers one question (the best dense
    match); without it only thumbs-down flags gaps. Thumbs-down comes from `feedback` events
    with `thumb == "down"` on the same conversation as the question.
    """
    questions = [e for e in events if e.kind == QUESTION_EVENT and e.payload.get("text")]
    if not questions:
        return []
    texts = [str(e.payload["text"]) for e in questions]
    vectors = np.asarray(encoder.encode(texts), dtype=np.float32)
    labels = _clusters(vectors)
    thumbs = [e for e in events if e.kind == "feedback" and e.payload.get("thumb")]
    down = {e.thread_id for e in thumbs if e.payload["thumb"] == "down"}
    rated = {e.thread_id for e in thumbs}
    conf = [confidence(t, v) for t, v in zip(texts, vectors, strict=True)] if confidence else None
    out = []
    for label in set(labels.tolist()):
        idx = [i for i, lab in enumerate(labels) if lab == label]
        centre = vectors[idx].mean(axis=0)
        order = sorted(idx, key=lambda i: -float(vectors[i] @ centre))
        threads = {questions[i].thread_id for i in idx}
        rated_here = threads & rated
        share = round(len(threads & down) / len(rated_here), 4) if rated_here else None
        mean_conf = round(float(np.mean([conf[i] for i in idx])), 4) if conf else None
        why = []
        if mean_conf is not None and mean_conf < LOW_CONFIDENCE:
            why.append(f"low retrieval confidence {mean_conf} < {LOW_CONFIDENCE}")
        if share is not None and share >= THUMBS_DOWN_SHARE:
            why.append(f"thumbs-down share {share} >= {THUMBS_DOWN_SHARE}")
        examples = list(dict.fromkeys(texts[i] for i in order))[:max_examples]
        out.append(Topic(label=_label([texts[i] for i in idx]), count=len(idx), examples=examples,
                         mean_confidence=mean_conf, thumbs_down_share=share, gap=bool(why),
                         why=why))  # fmt: skip
    return sorted(out, key=lambda t: (-t.count, t.label))


def kb_confidence(index: SearchIndex) -> Confidence:
    """Best dense-match cosine of a question against the KB index."""

    def score(text: str, vector: np.ndarray) -> float:
        hits = index.search(text, vector, k=1, product=None, mode="dense")
        return float(hits[0].score) if hits else 0.0

    return score
