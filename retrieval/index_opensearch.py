"""OpenSearch backend of the search index: BM25 text field plus a `knn_vector` field.

Hybrid search runs server-side: a `hybrid` query (BM25 + k-NN) through a search pipeline
whose normalization processor min-max normalises both score lists and combines them with
weights, so scores on different scales can be added. Chunk ids carry the document version,
so an update indexes the new version's chunks first and only then deletes the old ones: a
failure in between leaves the old version searchable.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from core.errors import UpstreamUnavailable
from retrieval.chunking import Chunk
from retrieval.index import DocumentChunks, Hit, SearchMode

HYBRID_WEIGHTS = (0.35, 0.65)  # lexical, dense; mirrors the embedded index's fusion weights
_SOURCE_FIELDS = ["chunk_id", "doc_id", "version", "title", "section", "products", "text"]


def index_body(dimension: int) -> dict[str, Any]:
    """Return the index settings and mapping (text fields + HNSW `knn_vector`)."""
    return {
        "settings": {"index": {"knn": True, "number_of_shards": 1}},
        "mappings": {
            "properties": {
                "chunk_id": {"type": "keyword"},
                "doc_id": {"type": "keyword"},
                "version": {"type": "integer"},
                "products": {"type": "keyword"},
                "title": {"type": "text", "analyzer": "english"},
                "section": {"type": "text", "analyzer": "english"},
                "text": {"type": "text", "analyzer": "english"},
                "index_text": {"type": "text", "analyzer": "english"},
                "embedding": {
                    "type": "knn_vector",
                    "dimension": dimension,
                    "method": {"name": "hnsw", "space_type": "cosinesimil", "engine": "lucene"},
                },
            }
        },
    }


def pipeline_body(weights: tuple[float, float] = HYBRID_WEIGHTS) -> dict[str, Any]:
    """Return the search pipeline that normalises and combines hybrid sub-query scores."""
    return {
        "description": "loan-advisor KB: min-max normalise BM25 and k-NN, weighted mean",
        "phase_results_processors": [
            {
                "normalization-processor": {
                    "normalization": {"technique": "min_max"},
                    "combination": {
                        "technique": "arithmetic_mean",
                        "parameters": {"weights": list(weights)},
                    },
                }
            }
        ],
    }


def _filters(product: str | None) -> list[dict[str, Any]]:
    return [{"term": {"products": product}}] if product else []


def lexical_query(text: str, product: str | None) -> dict[str, Any]:
    """Return the BM25 query over the chunk text, title and section."""
    return {
        "bool": {
            "must": {
                "multi_match": {
                    "query": text,
                    "fields": ["index_text", "title^2", "section^1.5"],
                }
            },
            "filter": _filters(product),
        }
    }


def knn_query(vector: NDArray[np.float32], k: int, product: str | None) -> dict[str, Any]:
    """Return the k-NN query on the embedding field (filtered during the graph search)."""
    clause: dict[str, Any] = {"vector": [float(x) for x in vector], "k": k}
    if product:
        clause["filter"] = {"bool": {"filter": _filters(product)}}
    return {"knn": {"embedding": clause}}


def search_body(
    text: str, vector: NDArray[np.float32] | None, *, k: int, product: str | None, mode: SearchMode
) -> dict[str, Any]:
    """Return the request body for `mode` (hybrid needs the pipeline on the request)."""
    if mode == "lexical":
        query = lexical_query(text, product)
    else:
        if vector is None:
            raise ValueError(f"{mode} search needs a query vector")
        dense = knn_query(vector, k, product)
        query = (
            dense
            if mode == "dense"
            else {"hybrid": {"queries": [lexical_query(text, product), dense]}}
        )
    return {"size": k, "_source": _SOURCE_FIELDS, "query": query}


class OpenSearchIndex:
    """The OpenSearch `SearchIndex`."""

    def __init__(
        self, client: Any, name: str, dimension: int, *, pipeline: str | None = None
    ) -> None:
        self._client = client
        self._name = name
        self._dimension = dimension
        self._pipeline = pipeline

    def ensure(self) -> None:
        """Create the index (and the hybrid search pipeline) when missing.

        Called by `loan-advisor aws bootstrap` (and `kb` admin commands), never while serving.
        """
        try:
            if not self._client.indices.exists(index=self._name):
                self._client.indices.create(index=self._name, body=index_body(self._dimension))
            if self._pipeline:
                self._client.transport.perform_request(
                    "PUT", f"/_search/pipeline/{self._pipeline}", body=pipeline_body()
                )
        except Exception as exc:
            raise UpstreamUnavailable(f"OpenSearch is not ready: {exc}") from exc

    def apply(self, upserts: list[DocumentChunks], deletes: list[str]) -> None:
        """Index new chunk versions, then remove superseded and deleted ones."""
        from opensearchpy import helpers

        actions = [
            {
                "_index": self._name,
                "_id": chunk.chunk_id,
                "_source": {
                    "chunk_id": chunk.chunk_id,
                    "doc_id": chunk.doc_id,
                    "version": chunk.version,
                    "title": chunk.title,
                    "section": chunk.section,
                    "products": list(chunk.products),
                    "text": chunk.text,
                    "index_text": chunk.index_text,
                    "embedding": [float(x) for x in vector],
                },
            }
            for update in upserts
            for chunk, vector in zip(update.chunks, update.vectors, strict=True)
        ]
        try:
            if actions:
                helpers.bulk(self._client, actions, refresh=True)
        except Exception as exc:
            written = [{"term": {"chunk_id": a["_id"]}} for a in actions]
            self._delete({"bool": {"should": written, "minimum_should_match": 1}})
            raise UpstreamUnavailable(f"OpenSearch indexing failed: {exc}") from exc
        for update in upserts:
            version = update.chunks[0].version
            self._delete(
                {
                    "bool": {
                        "filter": [{"term": {"doc_id": update.doc_id}}],
                        "must_not": [{"term": {"version": version}}],
                    }
                }
            )
        for doc_id in deletes:
            self._delete({"term": {"doc_id": doc_id}})

    def _delete(self, query: dict[str, Any]) -> None:
        self._client.delete_by_query(index=self._name, body={"query": query}, refresh=True)

    def indexed_versions(self) -> dict[str, int]:
        """Return doc id -> indexed version (one page of sources; the KB is small)."""
        resp = self._client.search(
            index=self._name,
            body={"size": 10000, "_source": ["doc_id", "version"], "query": {"match_all": {}}},
        )
        return {h["_source"]["doc_id"]: int(h["_source"]["version"]) for h in resp["hits"]["hits"]}

    def vectors_for(self, chunk_ids: list[str]) -> NDArray[np.float32]:
        """Fetch stored embeddings of the given chunks, in order."""
        resp = self._client.mget(index=self._name, body={"ids": chunk_ids})
        rows = [d["_source"]["embedding"] for d in resp["docs"]]
        return np.asarray(rows, dtype=np.float32).reshape(len(chunk_ids), self._dimension)

    def search(
        self,
        text: str,
        vector: NDArray[np.float32] | None,
        *,
        k: int,
        product: str | None,
        mode: SearchMode,
    ) -> list[Hit]:
        """Run one search request; hybrid goes through the normalisation pipeline."""
        body = search_body(text, vector, k=k, product=product, mode=mode)
        params = {"search_pipeline": self._pipeline} if mode == "hybrid" and self._pipeline else {}
        try:
            resp = self._client.search(index=self._name, body=body, params=params)
        except Exception as exc:
            raise UpstreamUnavailable(f"OpenSearch search failed: {exc}") from exc
        hits = []
        for h in resp["hits"]["hits"]:
            s = h["_source"]
            chunk = Chunk(
                chunk_id=s["chunk_id"],
                doc_id=s["doc_id"],
                version=int(s["version"]),
                title=s["title"],
                section=s["section"],
                products=tuple(s["products"]),
                text=s["text"],
            )
            hits.append(Hit(chunk, float(h["_score"] or 0.0)))
        return hits
