"""all-MiniLM-L6-v2 as an onnxruntime graph, built from the packaged safetensors weights.

Why: a policy question's hybrid search spent almost all of its 16-20 ms in the NumPy forward
pass of the query embedding. The same BERT graph under onnxruntime, with its MatMul weights
quantised to int8 (dynamic quantisation: activations stay float), embeds a query in a fraction
of that, and needs neither torch nor a hub download: the graph is written here, op by op, from
the same weights the NumPy encoder reads (which stays the reference it is tested against).

The graph is built once per weights file and cached beside the caller's other artefacts
(`cache_dir`), keyed by the weights' size and modification time, so a process start loads a
ready model instead of rebuilding and re-quantising it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

Weights = dict[str, NDArray[Any]]
OPSET = 17
_BUILT: dict[str, bytes] = {}


class _GraphWriter:
    """Accumulates nodes and initialisers; each op returns the name of its output."""

    def __init__(self) -> None:
        self.nodes: list[Any] = []
        self.inits: list[Any] = []
        self._n = 0

    def init(self, name: str, value: NDArray[Any]) -> str:
        from onnx import numpy_helper

        self.inits.append(numpy_helper.from_array(np.ascontiguousarray(value), name=name))
        return name

    def op(self, kind: str, *inputs: str, **attrs: Any) -> str:
        from onnx import helper

        self._n += 1
        out = f"{kind.lower()}_{self._n}"
        self.nodes.append(helper.make_node(kind, list(inputs), [out], **attrs))
        return out


def _layer_norm(g: _GraphWriter, x: str, w: Weights, prefix: str) -> str:
    scale = g.init(prefix + ".weight", w[prefix + ".weight"].astype(np.float32))
    bias = g.init(prefix + ".bias", w[prefix + ".bias"].astype(np.float32))
    return g.op("LayerNormalization", x, scale, bias, axis=-1, epsilon=1e-12)


def _linear(g: _GraphWriter, x: str, w: Weights, prefix: str) -> str:
    # torch stores linear weights as (out, in); MatMul wants (in, out).
    weight = g.init(prefix + ".weight", w[prefix + ".weight"].astype(np.float32).T)
    bias = g.init(prefix + ".bias", w[prefix + ".bias"].astype(np.float32))
    return g.op("Add", g.op("MatMul", x, weight), bias)


def build_graph(weights: Weights, *, heads: int, layers: int) -> Any:
    """Return the float32 ONNX model: (ids, positions, attn_bias) -> last hidden state.

    Inputs: `ids` int64 [batch, length]; `positions` int64 [length] (0..length-1);
    `attn_bias` float32 [batch, 1, 1, length] (0 for tokens, -1e9 for padding). Pooling and
    normalisation stay in NumPy: they are cheap and keep the graph a plain BERT encoder.
    """
    from onnx import TensorProto, helper

    w = weights
    dim = int(w["embeddings.word_embeddings.weight"].shape[1])
    head_dim = dim // heads
    g = _GraphWriter()
    word = g.init("word_emb", w["embeddings.word_embeddings.weight"].astype(np.float32))
    pos = g.init("pos_emb", w["embeddings.position_embeddings.weight"].astype(np.float32))
    tok = g.init("tok_emb", w["embeddings.token_type_embeddings.weight"][0].astype(np.float32))
    x = g.op("Add", g.op("Add", g.op("Gather", word, "ids"), g.op("Gather", pos, "positions")), tok)
    x = _layer_norm(g, x, w, "embeddings.LayerNorm")
    split = g.init("split_shape", np.array([0, 0, heads, head_dim], dtype=np.int64))
    merge = g.init("merge_shape", np.array([0, 0, dim], dtype=np.int64))
    scale = g.init("attn_scale", np.array(1.0 / np.sqrt(head_dim), dtype=np.float32))
    half = g.init("half", np.array(0.5, dtype=np.float32))
    one = g.init("one", np.array(1.0, dtype=np.float32))
    inv_sqrt2 = g.init("inv_sqrt2", np.array(1.0 / np.sqrt(2.0), dtype=np.float32))
    for layer in range(layers):
        p = f"encoder.layer.{layer}."
        q = g.op("Transpose", g.op("Reshape", _linear(g, x, w, p + "attention.self.query"), split),
                 perm=[0, 2, 1, 3])  # fmt: skip
        k = g.op("Transpose", g.op("Reshape", _linear(g, x, w, p + "attention.self.key"), split),
                 perm=[0, 2, 3, 1])  # fmt: skip
        v = g.op("Transpose", g.op("Reshape", _linear(g, x, w, p + "attention.self.value"), split),
                 perm=[0, 2, 1, 3])  # fmt: skip
        scores = g.op("Add", g.op("Mul", g.op("MatMul", q, k), scale), "attn_bias")
        ctx = g.op("MatMul", g.op("Softmax", scores, axis=-1), v)
        ctx = g.op("Reshape", g.op("Transpose", ctx, perm=[0, 2, 1, 3]), merge)
        attn = _linear(g, ctx, w, p + "attention.output.dense")
        x = _layer_norm(g, g.op("Add", x, attn), w, p + "attention.output.LayerNorm")
        inter = _linear(g, x, w, p + "intermediate.dense")
        gelu = g.op("Mul", g.op("Mul", inter, half),
                    g.op("Add", one, g.op("Erf", g.op("Mul", inter, inv_sqrt2))))  # fmt: skip
        out = _linear(g, gelu, w, p + "output.dense")
        x = _layer_norm(g, g.op("Add", x, out), w, p + "output.LayerNorm")
    g.nodes.append(helper.make_node("Identity", [x], ["hidden"]))
    graph = helper.make_graph(
        g.nodes,
        "all-MiniLM-L6-v2",
        [
            helper.make_tensor_value_info("ids", TensorProto.INT64, ["batch", "length"]),
            helper.make_tensor_value_info("positions", TensorProto.INT64, ["length"]),
            helper.make_tensor_value_info(
                "attn_bias", TensorProto.FLOAT, ["batch", 1, 1, "length"]
            ),
        ],
        [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["batch", "length", dim])],
        g.inits,
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])


def weights_key(weights_file: Path, *, quantized: bool) -> str:
    """Return a cache key for the model built from `weights_file` (its size and mtime)."""
    stat = weights_file.stat()
    raw = json.dumps([weights_file.name, stat.st_size, stat.st_mtime_ns, quantized, OPSET])
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def onnx_model_bytes(
    weights_file: Path,
    *,
    heads: int,
    layers: int,
    cache_dir: Path | None,
    quantized: bool = True,
) -> bytes:
    """Return the serialised (int8-quantised) model, from `cache_dir` when already built.

    Without `cache_dir` the model is kept in memory for the life of the process, so several
    encoders (tests, a CLI command) pay the few seconds of building and quantising once.
    """
    key = weights_key(weights_file, quantized=quantized)
    if key in _BUILT:
        return _BUILT[key]
    cached = None
    if cache_dir is not None:
        cached = cache_dir / f"minilm-{key}.onnx"
        if cached.exists():
            _BUILT[key] = cached.read_bytes()
            return _BUILT[key]
    from retrieval.minilm import read_safetensors

    model = build_graph(read_safetensors(weights_file), heads=heads, layers=layers)
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "minilm.onnx"
        plain.write_bytes(model.SerializeToString())
        final = plain
        if quantized:
            from onnxruntime.quantization import QuantType, quantize_dynamic

            final = Path(tmp) / "minilm-int8.onnx"
            # Only the MatMuls: LayerNorm, Softmax and the embedding tables keep full precision.
            # onnxruntime logs a "consider pre-processing" hint on the root logger each time.
            with _quiet_root_logger():
                quantize_dynamic(
                    plain,
                    final,
                    weight_type=QuantType.QInt8,
                    op_types_to_quantize=["MatMul"],
                    per_channel=True,
                    reduce_range=True,  # 7-bit weights: no int16 overflow without VNNI
                )
        data = final.read_bytes()
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp_file = cached.with_suffix(".tmp")
        tmp_file.write_bytes(data)
        tmp_file.replace(cached)
    _BUILT[key] = data
    return data


@contextmanager
def _quiet_root_logger() -> Iterator[None]:
    root = logging.getLogger()
    hint = logging.Filter("__nothing__")  # a filter whose name matches no record: drops all
    root.addFilter(hint)
    try:
        yield
    finally:
        root.removeFilter(hint)


def forget_built_models() -> None:
    """Drop the in-process copies of built models (the next call reads or rebuilds)."""
    _BUILT.clear()


class OnnxForward:
    """The encoder's forward pass on onnxruntime (one thread: queries are tiny, many at once)."""

    def __init__(self, model: bytes, *, threads: int = 1) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self._session = ort.InferenceSession(
            model, sess_options=options, providers=["CPUExecutionProvider"]
        )

    def __call__(self, ids: NDArray[np.int64], mask: NDArray[np.float32]) -> NDArray[np.float32]:
        """Return the last hidden state for padded `ids` with attention `mask`."""
        bias = ((1.0 - mask) * -1e9)[:, None, None, :].astype(np.float32)
        positions = np.arange(ids.shape[1], dtype=np.int64)
        (hidden,) = self._session.run(
            ["hidden"], {"ids": ids, "positions": positions, "attn_bias": bias}
        )
        out: NDArray[np.float32] = np.asarray(hidden, dtype=np.float32)
        return out
