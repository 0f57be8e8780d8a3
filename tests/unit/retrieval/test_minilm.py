"""The NumPy MiniLM must reproduce the reference sentence-transformers embeddings.

minilm_reference.npz holds vectors produced once by sentence-transformers (torch) from the
same packaged weights (its `producer` field says which versions); comparing against the file
keeps torch out of the test run.
"""

from pathlib import Path

import numpy as np
import pytest

from retrieval.minilm import MiniLmEncoder

REFERENCE = Path(__file__).with_name("minilm_reference.npz")


@pytest.fixture(scope="module")
def encoder():
    return MiniLmEncoder()


@pytest.fixture(scope="module")
def reference():
    with np.load(REFERENCE) as data:
        return [str(t) for t in data["texts"]], data["vectors"]


def test_matches_the_sentence_transformers_reference(encoder, reference):
    texts, expected = reference
    got = encoder.encode(texts)
    assert got.shape == (3, 384) and got.dtype == np.float32
    assert np.allclose((got * expected).sum(axis=1), 1.0, atol=1e-4)


def test_vectors_are_normalised_and_batch_independent(encoder, reference):
    texts, _ = reference
    batch = encoder.encode(texts)
    assert np.allclose(np.linalg.norm(batch, axis=1), 1.0, atol=1e-5)
    single = encoder.encode([texts[2]])
    assert np.allclose(batch[2], single[0], atol=1e-5)  # padding does not leak into pooling
    assert encoder.encode([]).shape == (0, 384)


def test_related_texts_are_closer_than_unrelated(encoder):
    a, b, c = encoder.encode(
        ["late payment fee", "charge for paying after the due date", "gold purity testing"]
    )
    assert a @ b > a @ c
