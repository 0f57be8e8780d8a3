"""Rank fusion and de-duplication: reciprocal-rank fusion, then maximal marginal relevance."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

RRF_K = 60  # the constant from Cormack et al. (2009); damps the weight of top ranks


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[int]], *, k: int = RRF_K, weights: Sequence[float] | None = None
) -> list[tuple[int, float]]:
    """Fuse ranked id lists: score(id) = sum_w w / (k + rank); return (id, score) best first."""
    fused: dict[int, float] = {}
    for n, ranking in enumerate(rankings):
        w = 1.0 if weights is None else weights[n]
        for rank, item in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + w / (k + rank)
    return sorted(fused.items(), key=lambda pair: (-pair[1], pair[0]))


def maximal_marginal_relevance(
    candidates: Sequence[tuple[int, float]],
    vectors: NDArray[np.float32],
    *,
    k: int,
    lambda_: float = 0.75,
    duplicate_threshold: float = 0.97,
) -> list[tuple[int, float]]:
    """Pick `k` candidates trading relevance against similarity to those already picked.

    `candidates` are (row, relevance) best first; `vectors` holds normalised embeddings by
    row. Relevance is rescaled to 0..1 so it is comparable with cosine similarity. Near-exact
    duplicates (cosine above `duplicate_threshold`) are dropped outright.
    """
    if not candidates:
        return []
    rel = np.array([score for _, score in candidates], dtype=np.float32)
    span = float(rel.max() - rel.min())
    rel = (rel - rel.min()) / span if span > 0 else np.ones_like(rel)
    rows = [row for row, _ in candidates]
    sims = vectors[rows] @ vectors[rows].T
    chosen: list[int] = []
    remaining = list(range(len(rows)))
    while remaining and len(chosen) < k:
        if chosen:
            redundancy = sims[np.ix_(remaining, chosen)].max(axis=1)
        else:
            redundancy = np.zeros(len(remaining), dtype=np.float32)
        mmr = lambda_ * rel[remaining] - (1 - lambda_) * redundancy
        best = remaining[int(np.argmax(mmr))]
        remaining.remove(best)
        if chosen and float(sims[best, chosen].max()) >= duplicate_threshold:
            continue
        chosen.append(best)
    return [candidates[i] for i in chosen]
