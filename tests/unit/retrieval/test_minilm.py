"""The MiniLM encoders must reproduce the reference sentence-transformers embeddings.

minilm_reference.npz holds vectors produced once by sentence-transformers (torch) from the
same packaged weights (its `producer` field says which versions); comparing against the file
keeps torch out of the test run. Documents go through the exact float path; search queries
through the int8 onnxruntime graph, which must stay close to the exact vectors.
"""

from pathlib import Path

import numpy as np
import pytest

from retrieval.minilm import MiniLmEncoder, packaged_model_dir
from retrieval.minilm_onnx import OnnxForward, build_graph, forget_built_models, onnx_model_bytes

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


def test_int8_query_vectors_stay_close_to_the_reference(encoder, reference):
    texts, expected = reference
    got = np.stack([encoder.encode_query(t) for t in texts])
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    assert ((got * expected).sum(axis=1) > 0.985).all()


def test_float_onnx_graph_is_the_numpy_forward_pass(encoder, reference):
    """The graph written op by op computes exactly what the NumPy reference computes."""
    from retrieval.minilm import read_safetensors

    model = build_graph(
        read_safetensors(packaged_model_dir() / "model.safetensors"), heads=12, layers=6
    )
    forward = OnnxForward(model.SerializeToString())
    texts, _ = reference
    ids = np.array([[101, 2129, 2003, 2026, 3446, 2787, 102, 0]], dtype=np.int64)
    mask = np.array([[1, 1, 1, 1, 1, 1, 1, 0]], dtype=np.float32)
    assert np.allclose(forward(ids, mask)[:, :7], encoder._forward(ids, mask)[:, :7], atol=1e-4)


def test_repeated_queries_come_from_the_cache_without_aliasing(encoder):
    encoder.clear_query_cache()
    first = encoder.encode_query("can I repay early?")
    first[:] = 0.0  # a caller scribbling on its copy must not poison the cache
    again = encoder.encode_query("can I repay early?")
    assert np.isclose(np.linalg.norm(again), 1.0)
    assert len(encoder._query_cache) == 1


def test_the_built_model_is_cached_on_disk(tmp_path):
    forget_built_models()
    weights = packaged_model_dir() / "model.safetensors"
    built = onnx_model_bytes(weights, heads=12, layers=6, cache_dir=tmp_path)
    files = list(tmp_path.glob("minilm-*.onnx"))
    assert len(files) == 1 and files[0].read_bytes() == built
    files[0].write_bytes(b"marker")  # a later process reads the file instead of rebuilding
    forget_built_models()
    assert onnx_model_bytes(weights, heads=12, layers=6, cache_dir=tmp_path) == b"marker"
    forget_built_models()
