"""Request bodies of the OpenSearch backend (k-NN and hybrid cannot run on osmem-server)."""

import numpy as np
import pytest

from retrieval.index_opensearch import (
    HYBRID_WEIGHTS,
    index_body,
    knn_query,
    pipeline_body,
    search_body,
)


def test_mapping_has_text_fields_and_an_hnsw_knn_vector():
    body = index_body(384)
    assert body["settings"]["index"]["knn"] is True
    props = body["mappings"]["properties"]
    assert props["embedding"]["type"] == "knn_vector"
    assert props["embedding"]["dimension"] == 384
    assert props["embedding"]["method"]["space_type"] == "cosinesimil"
    assert props["index_text"]["type"] == "text"
    assert props["products"]["type"] == "keyword"


def test_knn_query_filters_by_product_inside_the_graph_search():
    q = knn_query(np.array([0.5, 0.25], dtype=np.float32), 7, "car")
    clause = q["knn"]["embedding"]
    assert clause["vector"] == [0.5, 0.25] and clause["k"] == 7
    assert clause["filter"] == {"bool": {"filter": [{"term": {"products": "car"}}]}}
    assert "filter" not in knn_query(np.zeros(2, dtype=np.float32), 3, None)["knn"]["embedding"]


def test_hybrid_body_combines_bm25_and_knn():
    vec = np.ones(3, dtype=np.float32)
    body = search_body("late fee", vec, k=5, product="home", mode="hybrid")
    lexical, dense = body["query"]["hybrid"]["queries"]
    assert lexical["bool"]["must"]["multi_match"]["query"] == "late fee"
    assert lexical["bool"]["filter"] == [{"term": {"products": "home"}}]
    assert dense["knn"]["embedding"]["k"] == 5
    assert body["size"] == 5 and "embedding" not in body["_source"]


def test_lexical_body_needs_no_vector_and_dense_does():
    assert (
        "multi_match"
        in search_body("x", None, k=3, product=None, mode="lexical")["query"]["bool"]["must"]
    )
    with pytest.raises(ValueError):
        search_body("x", None, k=3, product=None, mode="hybrid")


def test_pipeline_normalises_with_min_max_and_weights():
    proc = pipeline_body()["phase_results_processors"][0]["normalization-processor"]
    assert proc["normalization"]["technique"] == "min_max"
    assert proc["combination"]["parameters"]["weights"] == list(HYBRID_WEIGHTS)
    assert sum(HYBRID_WEIGHTS) == pytest.approx(1.0)
