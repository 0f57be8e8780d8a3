"""The search-index Protocol and the hit type shared by its backends."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np
from numpy.typing import NDArray

from retrieval.chunking import Chunk

SearchMode = Literal["lexical", "dense", "hybrid"]


@dataclass(frozen=True)
class Hit:
    """A chunk and its score under the mode that found it (higher is better)."""

    chunk: Chunk
    score: float


@dataclass(frozen=True)
class DocumentChunks:
    """Everything the index needs to (re)index one document version."""

    doc_id: str
    chunks: list[Chunk]
    vectors: NDArray[np.float32]


class SearchIndex(Protocol):
    """Chunk index; backends: embedded (bm25s + dense) and OpenSearch."""

    def apply(self, upserts: list[DocumentChunks], deletes: list[str]) -> None:
        """Replace the chunks of `upserts` documents and drop `deletes`, all or nothing."""
        ...

    def search(
        self,
        text: str,
        vector: NDArray[np.float32] | None,
        *,
        k: int,
        product: str | None,
        mode: SearchMode,
    ) -> list[Hit]:
        """Return up to `k` hits, best first, restricted to chunks tagged with `product`."""
        ...

    def indexed_versions(self) -> dict[str, int]:
        """Return the version indexed for each document id."""
        ...

    def vectors_for(self, chunk_ids: list[str]) -> NDArray[np.float32]:
        """Return stored embeddings of the given chunks (used by MMR)."""
        ...
