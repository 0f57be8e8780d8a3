"""In-process index: BM25 (bm25s) plus dense MiniLM vectors, fused with RRF.

State is immutable between updates: `apply` builds a new state, persists it to a fresh
folder, swaps the folder in with a rename and only then replaces the in-memory state, so a
failure at any step leaves the previous index both on disk and in memory.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from retrieval.chunking import CHUNKING, Chunk
from retrieval.index import DocumentChunks, Hit, SearchMode
from retrieval.lexical import LexicalIndex
from retrieval.ranking import reciprocal_rank_fusion

CANDIDATES = 30  # per retriever, before fusion
# BM25 gets half the vote of the dense retriever: on the labelled applicant questions (which
# rarely reuse the documents' words) lexical alone is the weaker ranker; see
# docs/knowledge_base.md for the measured comparison.
FUSION_WEIGHTS = (0.5, 1.0)


@dataclass(frozen=True)
class _State:
    chunks: list[Chunk]
    vectors: NDArray[np.float32]
    lexical: LexicalIndex
    product_masks: dict[str, NDArray[np.bool_]]
    rows: dict[str, int]


def _build_state(chunks: list[Chunk], vectors: NDArray[np.float32]) -> _State:
    masks = {
        p: np.array([p in c.products for c in chunks], dtype=bool)
        for p in {p for c in chunks for p in c.products}
    }
    return _State(
        chunks=chunks,
        vectors=vectors.astype(np.float32),
        lexical=LexicalIndex([c.index_text for c in chunks]),
        product_masks=masks,
        rows={c.chunk_id: i for i, c in enumerate(chunks)},
    )


class EmbeddedIndex:
    """The embedded `SearchIndex`, optionally persisted under `folder`."""

    def __init__(self, folder: Path | None, dimension: int = 384) -> None:
        self._folder = folder
        self._dimension = dimension
        self._state = _build_state([], np.zeros((0, dimension), dtype=np.float32))

    @classmethod
    def load(cls, folder: Path, dimension: int = 384) -> EmbeddedIndex:
        """Load a persisted index (chunks.json + vectors.npy); BM25 is rebuilt in memory.

        An index an older chunker built loads empty, so the next sync re-chunks every
        document (vectors come from the embedding cache): its chunks would carry stale tags.
        """
        index = cls(folder, dimension)
        meta = json.loads((folder / "chunks.json").read_text())
        if meta.get("chunking", 1) != CHUNKING:
            return index
        chunks = [Chunk(**{**c, "products": tuple(c["products"])}) for c in meta["chunks"]]
        vectors = np.load(folder / "vectors.npy")
        if vectors.shape != (len(chunks), dimension):
            raise ValueError(f"index at {folder} is corrupt: vectors do not match chunks")
        index._state = _build_state(chunks, vectors)
        return index

    @staticmethod
    def exists(folder: Path) -> bool:
        """Tell whether a persisted index is present."""
        return (folder / "chunks.json").exists() and (folder / "vectors.npy").exists()

    @property
    def size(self) -> int:
        """Number of chunks indexed."""
        return len(self._state.chunks)

    def apply(self, upserts: list[DocumentChunks], deletes: list[str]) -> None:
        """Swap in the new chunks of changed documents; all or nothing."""
        drop = set(deletes) | {u.doc_id for u in upserts}
        keep = [i for i, c in enumerate(self._state.chunks) if c.doc_id not in drop]
        chunks = [self._state.chunks[i] for i in keep]
        parts = [self._state.vectors[keep]]
        for update in upserts:
            if len(update.chunks) != len(update.vectors):
                raise ValueError(f"{update.doc_id}: one vector per chunk is required")
            chunks.extend(update.chunks)
            parts.append(update.vectors.reshape(-1, self._dimension))
        order = sorted(range(len(chunks)), key=lambda i: chunks[i].chunk_id)
        vectors = np.concatenate(parts)[order] if chunks else parts[0]
        state = _build_state([chunks[i] for i in order], vectors)
        if self._folder is not None:
            self._persist(state)
        self._state = state

    def _persist(self, state: _State) -> None:
        folder = self._folder
        assert folder is not None
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
        try:
            payload = {"chunking": CHUNKING, "chunks": [asdict(c) for c in state.chunks]}
            (staging / "chunks.json").write_text(json.dumps(payload))
            np.save(staging / "vectors.npy", state.vectors)
            old = folder.with_name(f".{folder.name}-old")
            if old.exists():
                shutil.rmtree(old)
            if folder.exists():
                os.replace(folder, old)
            os.replace(staging, folder)
            shutil.rmtree(old, ignore_errors=True)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise

    def indexed_versions(self) -> dict[str, int]:
        """Return doc id -> indexed version."""
        return {c.doc_id: c.version for c in self._state.chunks}

    def vectors_for(self, chunk_ids: list[str]) -> NDArray[np.float32]:
        """Return embeddings of the given chunks, in order."""
        state = self._state
        return state.vectors[[state.rows[c] for c in chunk_ids]]

    def search(
        self,
        text: str,
        vector: NDArray[np.float32] | None,
        *,
        k: int,
        product: str | None,
        mode: SearchMode,
    ) -> list[Hit]:
        """Rank chunks lexically, densely, or both fused with reciprocal-rank fusion."""
        state = self._state  # one read: a concurrent `apply` cannot mix two states
        if not state.chunks:
            return []
        mask = state.product_masks.get(product) if product else None
        if product and mask is None:
            return []
        lexical: list[int] = []
        dense: list[int] = []
        if mode in ("lexical", "hybrid"):
            scores = state.lexical.scores(text)
            lexical = self._top(scores, mask, CANDIDATES if mode == "hybrid" else k, True)
            if mode == "lexical":
                return [Hit(state.chunks[i], float(scores[i])) for i in lexical]
        if vector is None:
            raise ValueError(f"{mode} search needs a query vector")
        sims = state.vectors @ vector
        dense = self._top(sims, mask, CANDIDATES if mode == "hybrid" else k, False)
        if mode == "dense":
            return [Hit(state.chunks[i], float(sims[i])) for i in dense]
        fused = reciprocal_rank_fusion([lexical, dense], weights=FUSION_WEIGHTS)[:k]
        return [Hit(state.chunks[i], score) for i, score in fused]

    @staticmethod
    def _top(
        scores: NDArray[np.float32], mask: NDArray[np.bool_] | None, k: int, positive: bool
    ) -> list[int]:
        masked = np.where(mask, scores, -np.inf) if mask is not None else scores
        count = min(k, len(masked))
        top = np.argpartition(-masked, count - 1)[:count]
        ordered = top[np.argsort(-masked[top], kind="stable")]
        floor = 0.0 if positive else -np.inf
        return [int(i) for i in ordered if masked[i] > floor]
