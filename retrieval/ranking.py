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
    # Each candidate's highest similarity to those chosen so far, raised as each is chosen:
    # one vector update per pick rather than a max over the chosen set every round.
    redundancy = np.zeros(len(rows), dtype=np.float32)  # nothing chosen: no penalty
    unpicked = np.ones(len(rows), dtype=bool)
    chosen: list[int] = []
    while len(chosen) < k and unpicked.any():
        mmr = np.where(unpicked, lambda_ * rel - (1 - lambda_) * redundancy, -np.inf)
        best = int(np.argmax(mmr))  # the first of equals, as before
        unpicked[best] = False
        if chosen and float(redundancy[best]) >= duplicate_threshold:
            continue
        if chosen:
            np.maximum(redundancy, sims[:, best], out=redundancy)
        else:  # similarities may be negative: the first pick sets them, not max(0, .)
            redundancy = sims[:, best].copy()
        chosen.append(best)
    return [candidates[i] for i in chosen]
