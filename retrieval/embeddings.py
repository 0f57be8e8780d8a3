"""The encoder Protocol and a content-addressed cache of chunk embeddings.

The cache is keyed by a hash of the exact text embedded, so a re-index only runs the model
on chunks whose text changed; everything else reuses its stored vector.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from retrieval.chunking import Chunk

Vectors = NDArray[np.float32]


class Encoder(Protocol):
    """Turns texts into L2-normalised vectors of a fixed dimension."""

    dimension: int
    model_id: str

    def encode(self, texts: list[str], batch_size: int = 16) -> Vectors:
        """Return one normalised row per text."""
        ...

    def encode_query(self, text: str) -> Vectors:
        """Return a search query's normalised vector (may be cached or approximated)."""
        ...


# Vectors of the shipped corpus, so a fresh checkout indexes in about a second instead of
# running the model over every chunk; `loan-advisor kb reindex --refresh-seed` rewrites it.
SEED_PATH = Path(__file__).with_name("corpus_embeddings.npz")


class EmbeddingCache:
    """Vectors by text hash, persisted as one `.npz` file tagged with the model id."""

    def __init__(
        self, path: Path | None, dimension: int, *, model_id: str = "", seed: Path | None = None
    ) -> None:
        self._path = path
        self._dimension = dimension
        self._model_id = model_id
        self._vectors: dict[str, Vectors] = {}
        self.misses = 0
        for source in (seed, path):
            if source is not None and source.exists():
                self._vectors.update(self._read(source))

    def _read(self, path: Path) -> dict[str, Vectors]:
        with np.load(path) as data:
            keys = [str(k) for k in data["keys"]]
            matrix = data["vectors"]
            model = str(data["model_id"]) if "model_id" in data else ""
        if matrix.shape[1:] != (self._dimension,) or model != self._model_id:
            return {}  # another model's vectors are useless, not an error
        return {k: matrix[i] for i, k in enumerate(keys)}

    def __len__(self) -> int:
        return len(self._vectors)

    def vectors_for(self, chunks: Sequence[Chunk], encoder: Encoder) -> Vectors:
        """Return a vector per chunk, encoding only those not cached yet."""
        missing = [
            c for c in {c.embed_key: c for c in chunks}.values() if c.embed_key not in self._vectors
        ]
        if missing:
            encoded = encoder.encode([c.index_text for c in missing])
            for chunk, vector in zip(missing, encoded, strict=True):
                self._vectors[chunk.embed_key] = vector
            self.misses += len(missing)
        if not chunks:
            return np.zeros((0, self._dimension), dtype=np.float32)
        return np.stack([self._vectors[c.embed_key] for c in chunks]).astype(np.float32)

    def save(self, keep: set[str] | None = None, *, path: Path | None = None) -> None:
        """Write the cache atomically (to `path` or its own file); `keep` limits the keys."""
        target = path or self._path
        if target is None:
            return
        keys = sorted(k for k in self._vectors if keep is None or k in keep)
        matrix = (
            np.stack([self._vectors[k] for k in keys])
            if keys
            else np.zeros((0, self._dimension), dtype=np.float32)
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".npz")
        os.close(fd)
        with open(tmp, "wb") as fh:
            np.savez(
                fh,
                keys=np.array(keys, dtype=str),
                vectors=matrix.astype(np.float32),
                model_id=np.array(self._model_id),
            )
        os.replace(tmp, target)
