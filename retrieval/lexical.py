"""BM25 over chunk texts (bm25s), with a small English analyser.

The analyser lowercases, drops stop words and applies a light suffix stemmer, so "payments",
"paying" and "paid"-style variants of the same idea meet in the index without pulling in a
stemming library.
"""

from __future__ import annotations

import re

import bm25s
import numpy as np
from numpy.typing import NDArray

_TOKEN_RE = re.compile(r"[a-z0-9]+")
STOP_WORDS = frozenset(
    """a an and are as at be been but by can could do does did for from had has have how i if
    in into is it its me my of on or our so than that the their them then there these they this
    to too us was we were what when where which who why will with would you your yours i'm im
    am about any just get got want need should shall may might much many also""".split()
)
_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "ied", "ed", "es", "s")


def stem(word: str) -> str:
    """Strip one common English suffix, keeping at least a four-letter stem."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            return word + "y" if suffix in ("ies", "ied") else word
    return word


def analyse(text: str) -> list[str]:
    """Return the index terms of `text`."""
    return [stem(t) for t in _TOKEN_RE.findall(text.lower()) if t not in STOP_WORDS]


class LexicalIndex:
    """Okapi BM25 scores over a fixed list of texts."""

    def __init__(self, texts: list[str]) -> None:
        self._size = len(texts)
        self._bm25 = bm25s.BM25(k1=1.2, b=0.75)
        if texts:
            self._bm25.index([analyse(t) or ["_empty_"] for t in texts], show_progress=False)

    def scores(self, query: str) -> NDArray[np.float32]:
        """Return one BM25 score per text (zeros when no query term is in the vocabulary)."""
        terms = [t for t in analyse(query) if t in self._vocab]
        if not terms or not self._size:
            return np.zeros(self._size, dtype=np.float32)
        out: NDArray[np.float32] = np.asarray(self._bm25.get_scores(terms), dtype=np.float32)
        return out

    @property
    def _vocab(self) -> dict[str, int]:
        vocab: dict[str, int] = self._bm25.vocab_dict if self._size else {}
        return vocab
