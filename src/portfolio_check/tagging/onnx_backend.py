"""The sentence model's forward pass on onnxruntime, built in memory from the checked weights.

Why: the numpy forward pass (encoder.py) tops out near 190 sentences/s on two cores, about
six times short of tagging ten 600-word pieces a second. onnxruntime runs the same BERT with
int8 matrix products (AVX-512 VNNI / AVX2), which is where nearly all the time goes.

Trust: nothing here reads a model file. The ONNX graph is written node by node with
``onnx.helper`` from the arrays that encoder.py has already loaded from the SHA-256-checked
safetensors file, serialised to bytes and handed to onnxruntime; no file is written or read.

Int8 scheme (``quantised=True``): the attention-output and both feed-forward products run
in int8 (weights per output column, symmetric; activations per token row, symmetric around
128 as uint8); the query/key/value product stays float32. Why:

* per-row activation scales make a sentence's vector independent of the other sentences in
  its batch (a per-tensor scale, as ``quantize_dynamic`` uses, would let one long sentence
  change its neighbours' vectors), and integer products are exact;
* quantising the query/key/value input (LayerNorm output with outlier dimensions) caused
  most of the drift: with it in float32 the vectors keep cosine >= 0.994 to the numpy ones
  on dev-cohort sentences (mean 0.9986), against 0.988 / 0.9968 with it in int8.

Note: on CPUs without VNNI, onnxruntime's AVX2 u8 x s8 kernel may saturate 16-bit pair sums
with full 8-bit weights; the tests compare with the reference on whatever machine runs them.
"""
from __future__ import annotations

from typing import Any

import numpy as np

OPSET = 21
WEIGHT_QMAX = 127.0
ACT_QMAX = 127.0
ACT_ZERO = 128


class OnnxUnavailable(RuntimeError):
    """onnxruntime or onnx is missing, or the graph did not build or run."""


class _Graph:
    """Collects nodes and initialisers with unique names; small helpers for each op."""

    def __init__(self, helper: Any, numpy_helper: Any):
        self.h = helper
        self.nh = numpy_helper
        self.nodes: list = []
        self.inits: list = []
        self._n = 0

    def name(self, stem: str) -> str:
        self._n += 1
        return f"{stem}_{self._n}"

    def const(self, array: np.ndarray, stem: str = "c") -> str:
        name = self.name(stem)
        self.inits.append(self.nh.from_array(np.array(array, copy=True, order="C"), name))   # keeps 0-d arrays 0-d
        return name

    def op(self, op_type: str, inputs: list[str], stem: str | None = None, **attrs) -> str:
        out = self.name(stem or op_type.lower())
        self.nodes.append(self.h.make_node(op_type, inputs, [out], name=out, **attrs))
        return out

    def layer_norm(self, x: str, weight: np.ndarray, bias: np.ndarray, eps: float) -> str:
        return self.op("LayerNormalization", [x, self.const(weight, "ln_w"), self.const(bias, "ln_b")],
                       axis=-1, epsilon=eps)

    def dense(self, x: str, weight: np.ndarray, bias: np.ndarray, quantised: bool) -> str:
        """x @ weight + bias on (rows, in) in float32, or with the int8 scheme of the module
        docstring."""
        if not quantised:
            return self.op("Add", [self.op("MatMul", [x, self.const(weight, "w")]), self.const(bias, "b")])
        w_q, w_scale = quantise_weight(weight)
        amax = self.op("ReduceMax", [self.op("Abs", [x]), self.const(np.array([1], np.int64))], keepdims=0)
        a_scale = self.op("Max", [self.op("Div", [amax, self.const(np.float32(ACT_QMAX))]),
                                  self.const(np.float32(1e-12))])                        # (rows,)
        # uint8 centred on 128: onnxruntime's fast kernels multiply uint8 by int8
        zero = self.op("Cast", [self.op("Add", [self.op("Mul", [a_scale, self.const(np.float32(0.0))]),
                                                self.const(np.float32(ACT_ZERO))])], to=self.h.TensorProto.UINT8)
        a_q = self.op("QuantizeLinear", [x, a_scale, zero], axis=0)
        prod = self.op("MatMulIntegerToFloat", [a_q, self.const(w_q, "wq"), self.const(np.float32(1.0)),
                                                self.const(w_scale, "ws"), self.const(np.uint8(ACT_ZERO))],
                       domain="com.microsoft")
        scaled = self.op("Mul", [prod, self.op("Unsqueeze", [a_scale, self.const(np.array([1], np.int64))])])
        return self.op("Add", [scaled, self.const(bias, "b")])


def quantise_weight(weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-output-column symmetric int8 (7-bit range) of an (in, out) matrix: (q, scale)."""
    amax = np.abs(weight).max(axis=0)
    scale = (np.maximum(amax, 1e-12) / WEIGHT_QMAX).astype(np.float32)
    q = np.clip(np.rint(weight / scale), -WEIGHT_QMAX, WEIGHT_QMAX).astype(np.int8)
    return q, scale


def build_model_bytes(word: np.ndarray, position: np.ndarray, token_type: np.ndarray,
                      emb_ln: tuple[np.ndarray, np.ndarray], layers: tuple[Any, ...],
                      heads: int, eps: float, quantised: bool) -> bytes:
    """The BERT encoder as a serialised ONNX model: (input_ids int64 [B,L], attention_mask
    float32 [B,L]) -> last hidden state float32 [B,L,H]. ``layers`` are encoder._Layer (dense
    matrices as (in, out)). Pooling stays in the caller, shared with the numpy path."""
    try:
        import onnx
        from onnx import TensorProto, helper, numpy_helper
    except ImportError as exc:
        raise OnnxUnavailable(f"the onnx package is not installed ({exc})") from exc
    hidden = word.shape[1]
    head = hidden // heads
    g = _Graph(helper, numpy_helper)
    i64 = lambda *v: g.const(np.array(v, np.int64))  # noqa: E731
    # Every dense layer runs on one (batch*length, hidden) matrix, as in the numpy path; only
    # attention needs the (batch, heads, length, head) view.
    length = g.op("Shape", ["input_ids"], start=1, end=2)
    pos = g.op("Slice", [g.const(position, "pos"), i64(0), length, i64(0)])
    emb = g.op("Add", [g.op("Add", [g.op("Gather", [g.const(word, "word"), "input_ids"]), pos]),
                       g.const(token_type, "tt")])
    x = g.op("Reshape", [g.layer_norm(emb, *emb_ln, eps), i64(-1, hidden)])
    # Padding positions get a large negative score so they take no attention (as in numpy).
    pad = g.op("Mul", [g.op("Sub", [g.const(np.float32(1.0)), "attention_mask"]), g.const(np.float32(-1e9))])
    bias = g.op("Unsqueeze", [pad, i64(1, 2)])
    qkv_shape = g.op("Concat", [i64(-1), length, i64(3, heads, head)], axis=0)
    scale = g.const(np.float32(1.0 / np.sqrt(head)))
    for layer in layers:
        qkv = g.dense(x, layer.qkv_w, layer.qkv_b, False)   # float32: see the module docstring
        qkv = g.op("Transpose", [g.op("Reshape", [qkv, qkv_shape])], perm=[2, 0, 3, 1, 4])   # (3,B,H,L,d)
        q, k, v = (g.op("Gather", [qkv, g.const(np.array(i, np.int64))], axis=0) for i in range(3))
        scores = g.op("MatMul", [g.op("Mul", [q, scale]), g.op("Transpose", [k], perm=[0, 1, 3, 2])])
        probs = g.op("Softmax", [g.op("Add", [scores, bias])], axis=-1)
        ctx = g.op("Reshape", [g.op("Transpose", [g.op("MatMul", [probs, v])], perm=[0, 2, 1, 3]), i64(-1, hidden)])
        attended = g.op("Add", [g.dense(ctx, layer.out_w, layer.out_b, quantised), x])
        x = g.layer_norm(attended, layer.ln1_w, layer.ln1_b, eps)
        h = g.dense(x, layer.ff1_w, layer.ff1_b, quantised)
        # erf GELU (BERT's own) in the order PyTorch exports it: onnxruntime fuses it into one op
        erf = g.op("Erf", [g.op("Div", [h, g.const(np.float32(np.sqrt(2.0)))])])
        gelu = g.op("Mul", [g.op("Mul", [h, g.op("Add", [erf, g.const(np.float32(1.0))])]), g.const(np.float32(0.5))])
        out = g.op("Add", [g.dense(gelu, layer.ff2_w, layer.ff2_b, quantised), x])
        x = g.layer_norm(out, layer.ln2_w, layer.ln2_b, eps)
    x = g.op("Reshape", [x, g.op("Concat", [g.op("Shape", ["input_ids"]), i64(hidden)], axis=0)])
    g.nodes.append(helper.make_node("Identity", [x], ["last_hidden_state"], name="output"))
    graph = helper.make_graph(
        g.nodes, "all-MiniLM-L6-v2",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "length"]),
         helper.make_tensor_value_info("attention_mask", TensorProto.FLOAT, ["batch", "length"])],
        [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch", "length", hidden])],
        initializer=g.inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET), helper.make_opsetid("com.microsoft", 1)],
                              producer_name="portfolio-check")
    model.ir_version = 10
    return model.SerializeToString()


class OnnxForward:
    """An onnxruntime session over the in-memory model; ``(ids, mask) -> hidden``."""

    def __init__(self, model_bytes: bytes, threads: int):
        try:
            import onnxruntime as ort
        except ImportError as exc:
            raise OnnxUnavailable(f"onnxruntime is not installed ({exc})") from exc
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = max(1, threads)
        opts.inter_op_num_threads = 1
        opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        opts.log_severity_level = 3
        try:
            self._session = ort.InferenceSession(model_bytes, sess_options=opts, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own exception types
            raise OnnxUnavailable(f"onnxruntime could not load the sentence model graph ({exc})") from exc
        self.version = ort.__version__

    def __call__(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return self._session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
