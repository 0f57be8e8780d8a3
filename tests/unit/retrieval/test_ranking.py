import numpy as np
import pytest

from retrieval.ranking import maximal_marginal_relevance, reciprocal_rank_fusion


def test_rrf_rewards_agreement_between_rankers():
    fused = reciprocal_rank_fusion([[1, 2, 3], [3, 1, 4]], k=60)
    assert [i for i, _ in fused][:2] == [1, 3]
    assert fused[0][1] == pytest.approx(1 / 61 + 1 / 62)


def test_rrf_weights_scale_a_ranker():
    fused = reciprocal_rank_fusion([[1], [2]], weights=[0.5, 1.0])
    assert [i for i, _ in fused] == [2, 1]


def test_mmr_drops_near_duplicates_and_promotes_novelty():
    v = np.array([[1, 0, 0], [1, 0, 0], [0.9, 0.43, 0], [0, 0, 1]], dtype=np.float32)
    v = v / np.linalg.norm(v, axis=1, keepdims=True)
    picked = maximal_marginal_relevance(
        [(0, 1.0), (1, 0.99), (2, 0.8), (3, 0.5)], v, k=3, lambda_=0.6
    )
    rows = [r for r, _ in picked]
    assert rows[0] == 0 and 1 not in rows and 3 in rows


def test_mmr_handles_empty_input():
    assert maximal_marginal_relevance([], np.zeros((0, 3), dtype=np.float32), k=3) == []


def test_mmr_prefers_a_passage_unlike_the_chosen_one_even_below_zero_similarity():
    # equal relevance; the third points away from the first, the second is orthogonal to it
    vectors = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0]], dtype=np.float32)
    picked = maximal_marginal_relevance([(0, 1.0), (1, 1.0), (2, 1.0)], vectors, k=3)
    assert [row for row, _ in picked] == [0, 2, 1]
