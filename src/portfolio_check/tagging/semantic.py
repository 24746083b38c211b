"""Semantic analysis of a piece: units, their embeddings, and features per (piece, KSB).

Why this shape: the learned fusion (fusion.py) must work for any standard, so every feature is
KSB-independent in meaning (a similarity, a rank, a guard share), never "is this K7". The only
standard-specific inputs are the KSB texts themselves (statement, amplification with its
boilerplate stripped, and the grading descriptor of its method closest to it) and, for a
standard the model was trained on, exemplar centroids learned from labelled pieces.

Units are sentences and list items (bullets split, plain-text bullets included) plus windows of
2-3 consecutive sentences inside one section. A window's vector is the normalised mean of its
sentences' vectors, so each unique sentence is embedded once per run.
"""
from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from ..standards import Standard
from . import guards
from .base import Sentence

_BOILERPLATE = re.compile(
    r"^\s*(?:apprentices?|the apprentice|learners?|they)\s+(?:will\s+)?(?:need to|needs to|should|must|"
    r"will|are expected to|is expected to)\s+(?:be able to\s+)?(?:demonstrate\s+(?:that they|how they|an?\s+)?)?", re.I)
_VEC_CACHE: dict[str, np.ndarray] = {}
_VEC_CACHE_MAX = 50_000
_KSB_CACHE: dict[str, "KsbVectors"] = {}
WINDOWS = (2, 3)
FIRST_PERSON = re.compile(r"\b(i|me|my|we|our|us)\b", re.I)


def strip_boilerplate(text: str | None) -> str:
    """'Apprentices need to understand how X' -> 'understand how X' (then capitalised)."""
    if not text:
        return ""
    out = _BOILERPLATE.sub("", text.strip(), count=1)
    return out[:1].upper() + out[1:]


def _text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def embed(texts: Sequence[str], encoder) -> np.ndarray:
    """Embed each unique text once per process (cached by content hash; vectors only)."""
    keys = [_text_key(t) for t in texts]
    todo = sorted({k: t for k, t in zip(keys, texts) if k not in _VEC_CACHE}.items())
    if todo:
        if len(_VEC_CACHE) + len(todo) > _VEC_CACHE_MAX:
            _VEC_CACHE.clear()
        vecs = encoder.encode([t for _, t in todo])
        for (k, _), v in zip(todo, vecs):
            _VEC_CACHE[k] = v
    if not texts:
        return np.zeros((0, encoder.dim), dtype=np.float32)
    return np.stack([_VEC_CACHE[k] for k in keys])


def _norm_rows(m: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(m, axis=-1, keepdims=True)
    return (m / np.maximum(n, 1e-12)).astype(np.float32)


@dataclass(frozen=True)
class KsbVectors:
    """Embeddings of a standard's KSB texts, cached by the standard file's content hash."""

    codes: tuple[str, ...]
    methods: tuple[str | None, ...]
    statement: np.ndarray = field(repr=False)       # (K, d)
    amplification: np.ndarray = field(repr=False)   # (K, d): amplification, else the statement
    descriptor: np.ndarray = field(repr=False)      # (K, d): closest grading descriptor, else combined
    combined: np.ndarray = field(repr=False)        # (K, d): normalised mean of statement + amplification


def standard_hash(standard: Standard) -> str:
    """Content hash of the KSB text and grading descriptors (what the vectors depend on)."""
    h = hashlib.sha256()
    for k in standard.ksbs:
        h.update(f"{k.code}\x00{k.method}\x00{k.statement}\x00{k.amplification or ''}\x01".encode())
    for m in sorted(standard.methods):
        grading = standard.methods[m].get("grading") or {}
        for band in sorted(grading):
            for key in sorted(grading[band]):
                h.update(f"{m}\x00{band}\x00{key}\x00{grading[band][key]}\x01".encode())
    return h.hexdigest()


def ksb_vectors(standard: Standard, encoder) -> KsbVectors:
    key = standard_hash(standard)
    if key in _KSB_CACHE:
        return _KSB_CACHE[key]
    ks = standard.ksbs
    st = embed([k.statement for k in ks], encoder)
    amp_texts = [strip_boilerplate(k.amplification) or k.statement for k in ks]
    amp = embed(amp_texts, encoder)
    combined = _norm_rows(st + amp)
    desc = combined.copy()
    for m, spec in standard.methods.items():
        grading = spec.get("grading") or {}
        texts = [t for band in ("pass", "distinction") for t in (grading.get(band) or {}).values()]
        if not texts:
            continue
        dv = embed([strip_boilerplate(t) for t in texts], encoder)
        for i, k in enumerate(ks):
            if k.method == m:
                desc[i] = dv[int(np.argmax(dv @ combined[i]))]
    vec = KsbVectors(tuple(k.code for k in ks), tuple(k.method for k in ks), st, amp, desc, combined)
    _KSB_CACHE[key] = vec
    return vec


@dataclass(frozen=True)
class Unit:
    """A sentence, list item or window: ``members`` are indices into the piece's sentences."""

    members: tuple[int, ...]
    flagged: bool


@dataclass(frozen=True)
class Analysis:
    """Everything the fusion needs about one piece, computed once."""

    sentences: tuple[Sentence, ...]
    flags: tuple[frozenset[str], ...]
    units: tuple[Unit, ...]
    unit_vecs: np.ndarray = field(repr=False)    # (U, d)
    piece_vec: np.ndarray = field(repr=False)    # (d,)
    words: int = 0
    first_person: float = 0.0


def analyse(sentences: list[Sentence], encoder, context: guards.GuardContext) -> Analysis:
    texts = [s.text for s in sentences]
    svecs = embed(texts, encoder) if texts else np.zeros((0, encoder.dim), dtype=np.float32)
    fl = tuple(guards.flags(t, context) for t in texts)
    units: list[Unit] = [Unit((i,), bool(fl[i])) for i in range(len(sentences))]
    vecs: list[np.ndarray] = [svecs[i] for i in range(len(sentences))]
    # Windows never cross a heading (a new topic) and never include a heading.
    runs: list[list[int]] = [[]]
    for i, s in enumerate(sentences):
        if s.heading:
            runs.append([])
        else:
            runs[-1].append(i)
    for run in runs:
        for w in WINDOWS:
            for j in range(0, len(run) - w + 1):
                members = tuple(run[j:j + w])
                units.append(Unit(members, any(fl[m] for m in members)))
                vecs.append(svecs[list(members)].mean(axis=0))
    unit_vecs = _norm_rows(np.stack(vecs)) if vecs else np.zeros((0, encoder.dim), dtype=np.float32)
    piece_vec = _norm_rows(svecs.mean(axis=0, keepdims=True))[0] if len(texts) else np.zeros(encoder.dim, np.float32)
    words = sum(len(t.split()) for t in texts)
    fp = len(FIRST_PERSON.findall(" ".join(texts))) / max(1, words)
    return Analysis(tuple(sentences), fl, tuple(units), unit_vecs, piece_vec, words, fp)


@dataclass(frozen=True)
class Exemplars:
    """Learned from labelled pieces of one standard: per KSB, the centroid of the units that
    best match it in pieces labelled with it, and the centroid of those pieces' vectors.

    ``units``/``unit_ksb`` keep those best units one by one (a KSB shown in several different
    ways has several exemplars, which one centroid blurs into a mean that matches none of
    them): a piece's nearest exemplar unit is the kNN feature. ``prior`` is each KSB's share of
    labelled pieces that evidence it (some KSBs are shown by portfolio pieces far more often).
    ``pieces``/``piece_pairs`` keep the labelled pieces' own vectors with their KSBs: the nearest
    labelled piece of the same kind (an analysis report, a call log) is the piece-kNN feature."""

    unit: np.ndarray     # (K, d), normalised
    piece: np.ndarray    # (K, d), normalised
    units: np.ndarray | None = field(default=None, repr=False)     # (N, d), normalised
    unit_ksb: np.ndarray | None = field(default=None, repr=False)  # (N,) KSB column of each unit
    prior: np.ndarray | None = field(default=None, repr=False)     # (K,) in [0, 1]
    pieces: np.ndarray | None = field(default=None, repr=False)    # (M, d) labelled pieces' vectors
    piece_pairs: np.ndarray | None = field(default=None, repr=False)  # (P, 2) (row of pieces, KSB column)


BASE_FEATURES = ("s_max", "s_all_max", "s_top3", "s_rel", "s_z", "s_rank", "stmt_max", "amp_max", "desc_max",
                 "guard_share", "on_method", "log_words", "first_person", "position", "nonevidence")
EXEMPLAR_FEATURES = ("e_max", "e_rel", "p_sim", "p_rel")
KNN_FEATURES = ("k_max", "k_top3", "k_rel", "k_rank")
UNIT_KIND_FEATURES = ("sent_max", "win_max")         # best single sentence vs best window
RANK_FEATURES = ("e_rank", "p_rank")                  # rank of the KSB among KSBs on exemplar signals
PIECE_KNN_FEATURES = ("q_max", "q_top3", "q_rel")     # nearest labelled pieces (whole-piece vectors)
PIECE_KNN_RANK_FEATURES = ("q_rank",)                 # tried in bench/tagger_variants.py, not shipped
PRIOR_FEATURES = ("prior",)
# Similarities again, only for KSBs of another method than the context's (0 on-method): lets
# the fusion weigh "also evidences" KSBs with their own slope, as they are labelled less often.
OFF_METHOD_FEATURES = ("off_s_max", "off_e_max", "off_k_max")
# How close a piece's text is to the KSB, in every form above: a model may hold their weights at
# 0 or above (bench/train_tagger.py's ``monotone``) so that more similarity never lowers a score.
SIMILARITY_FEATURES = ("s_max", "s_all_max", "s_top3", "s_rel", "s_z", "s_rank", "stmt_max", "amp_max", "desc_max",
                       "obs_s_max")
LEXICAL_FEATURES = ("lex", "lex_any", "lex_rel")
# The piece is an observation record and the KSB is assessed by an observation method of the
# standard (``kind: observation``), alone and times the similarity: an observer's record shows
# the KSBs the observation assesses. In the generic model since round 8 (bench/tagger_variants.py:
# both of its inner figures rose); tried for ST0071 too, where inner F1 fell, so not there.
OBSERVED_FEATURES = ("obs_method", "obs_s_max")
# Features that need the per-standard exemplars, and the lexicon.
NEEDS_EXEMPLARS = frozenset(EXEMPLAR_FEATURES + KNN_FEATURES + PRIOR_FEATURES + RANK_FEATURES + PIECE_KNN_FEATURES
                            + ("off_e_max", "off_k_max"))
NEEDS_LEXICON = frozenset(LEXICAL_FEATURES)


def feature_names(exemplars: bool, lexical: bool) -> tuple[str, ...]:
    """The default feature set (a model file lists the features it was trained on)."""
    return BASE_FEATURES + (EXEMPLAR_FEATURES if exemplars else ()) + (LEXICAL_FEATURES if lexical else ())


def _clean_max(sims: np.ndarray, clean: np.ndarray) -> np.ndarray:
    """Per KSB, the best similarity over unflagged units (0 when every unit is flagged)."""
    if not clean.any():
        return np.zeros(sims.shape[1], dtype=np.float32)
    return sims[clean].max(axis=0)


def best_units(a: Analysis, kv: KsbVectors) -> np.ndarray:
    """(U, K) similarity of each unit to each KSB's combined text."""
    return a.unit_vecs @ kv.combined.T


def _ranks(v: np.ndarray) -> np.ndarray:
    """1 for the highest value, 2 for the next... (ties by column order)."""
    rank = np.empty(len(v))
    rank[np.argsort(-v, kind="stable")] = np.arange(1, len(v) + 1)
    return rank


def _knn(a: Analysis, clean: np.ndarray, ex: Exemplars, K: int) -> dict[str, np.ndarray]:
    """Per KSB, the nearest of its individual exemplar units to any clean unit of the piece
    (max and mean of the best 3), its lead over the best KSB, and its rank."""
    best = np.zeros(K)
    top3 = np.zeros(K)
    if ex.units is not None and len(ex.units) and clean.any():
        per_ex = (a.unit_vecs[clean] @ ex.units.T).max(axis=0)          # (N,) best piece unit per exemplar
        for k in range(K):
            s = np.sort(per_ex[ex.unit_ksb == k])[::-1]
            if len(s):
                best[k] = s[0]
                top3[k] = s[:3].mean()
    return {"k_max": best, "k_top3": top3, "k_rel": best - best.max(), "k_rank": 1.0 / _ranks(best)}


def _piece_knn(a: Analysis, ex: Exemplars, K: int) -> dict[str, np.ndarray]:
    """Per KSB, the labelled pieces most like this one as a whole (max and mean of the best 3),
    and the lead of the best KSB over it."""
    best = np.zeros(K)
    top3 = np.zeros(K)
    if ex.pieces is not None and len(ex.pieces) and ex.piece_pairs is not None and len(ex.piece_pairs):
        sims = ex.pieces @ a.piece_vec
        pair_sims = sims[ex.piece_pairs[:, 0]]
        for k in range(K):
            s = np.sort(pair_sims[ex.piece_pairs[:, 1] == k])[::-1]
            if len(s):
                best[k] = s[0]
                top3[k] = s[:3].mean()
    return {"q_max": best, "q_top3": top3, "q_rel": best - best.max(), "q_rank": 1.0 / _ranks(best)}


def features(a: Analysis, kv: KsbVectors, target_method: str | None, nonevidence: bool,
             exemplars: Exemplars | None = None, lexical: dict[str, float] | None = None,
             names: Sequence[str] | None = None, observed_methods: frozenset[str] = frozenset()) -> np.ndarray:
    """(K, F) feature matrix in the order of ``names`` (default: ``feature_names``).
    ``observed_methods``: the standard's observation methods when the piece is an observation
    record, else empty (OBSERVED_FEATURES)."""
    K = len(kv.codes)
    if names is None:
        names = feature_names(exemplars is not None, lexical is not None)
    names = tuple(names)
    out = np.zeros((K, len(names)), dtype=np.float64)
    if not a.units:
        return out
    clean = np.array([not u.flagged for u in a.units])
    sims = best_units(a, kv)
    s_max = _clean_max(sims, clean)
    s_all = sims.max(axis=0)
    if clean.sum() >= 1:
        c = np.sort(sims[clean], axis=0)[::-1][:3]
        s_top3 = c.mean(axis=0)
    else:
        s_top3 = np.zeros(K)
    rank = _ranks(s_max)
    col: dict[str, np.ndarray] = {
        "s_max": s_max, "s_all_max": s_all, "s_top3": s_top3,
        "s_rel": s_max - s_max.max(),
        "s_z": (s_max - s_max.mean()) / (s_max.std() + 1e-6),
        "s_rank": 1.0 / rank,
        "stmt_max": _clean_max(a.unit_vecs @ kv.statement.T, clean),
        "amp_max": _clean_max(a.unit_vecs @ kv.amplification.T, clean),
        "desc_max": _clean_max(a.unit_vecs @ kv.descriptor.T, clean),
        "on_method": np.array([1.0 if m == target_method else 0.0 for m in kv.methods]),
        "log_words": np.full(K, math.log1p(a.words) / 8.0),
        "first_person": np.full(K, min(1.0, a.first_person * 10)),
        "nonevidence": np.full(K, 1.0 if nonevidence else 0.0),
    }
    top3 = np.argsort(-sims, axis=0, kind="stable")[:3]            # (3, K) unit indices
    flagged = np.array([u.flagged for u in a.units], dtype=float)
    col["guard_share"] = flagged[top3].mean(axis=0)
    n = max(1, len(a.sentences) - 1)
    best = np.argmax(np.where(clean[:, None], sims, -2.0), axis=0)
    col["position"] = np.array([a.units[u].members[0] / n for u in best])
    if any(n in UNIT_KIND_FEATURES for n in names):     # only for a model trained with them
        is_sent = np.arange(len(a.units)) < len(a.sentences)
        col["sent_max"] = _clean_max(sims, clean & is_sent)
        col["win_max"] = _clean_max(sims, clean & ~is_sent)
    if exemplars is not None:
        e = _clean_max(a.unit_vecs @ exemplars.unit.T, clean)
        p = exemplars.piece @ a.piece_vec
        col.update({"e_max": e, "e_rel": e - e.max(), "p_sim": p, "p_rel": p - p.max(),
                    "e_rank": 1.0 / _ranks(e), "p_rank": 1.0 / _ranks(p)})
        if any(n in KNN_FEATURES for n in names):
            col.update(_knn(a, clean, exemplars, K))
        if any(n in PIECE_KNN_FEATURES + PIECE_KNN_RANK_FEATURES for n in names):
            col.update(_piece_knn(a, exemplars, K))
        if exemplars.prior is not None:
            col["prior"] = exemplars.prior
    if any(n in OFF_METHOD_FEATURES for n in names):
        off = 1.0 - col["on_method"]
        col["off_s_max"] = off * s_max
        if "e_max" in col:
            col["off_e_max"] = off * col["e_max"]
        if "k_max" in col:
            col["off_k_max"] = off * col["k_max"]
    if any(n in OBSERVED_FEATURES for n in names):
        observed = np.array([1.0 if m in observed_methods else 0.0 for m in kv.methods])
        col["obs_method"] = observed
        col["obs_s_max"] = observed * s_max
    if lexical is not None:
        lex = np.array([lexical.get(c, 0.0) for c in kv.codes])
        col["lex"] = lex
        col["lex_any"] = (lex > 0).astype(float)
        col["lex_rel"] = lex - lex.max()
    for j, name in enumerate(names):
        out[:, j] = col[name]
    return out


def quote_units(a: Analysis, kv: KsbVectors, k: int, limit: int = 3, exemplars: Exemplars | None = None) -> list[int]:
    """Sentence indices to quote for KSB column k, best first: the sentences of the best clean
    unit (a window is quoted sentence by sentence, strongest first), then the best other
    sentences. Headings and a title line are never quoted. A unit's strength is its similarity to the KSB's
    text or, where higher, to the nearest of the KSB's exemplar units: a long sentence full of
    case detail ("I checked her account ... so I escalated the job to the supervisor because a
    same-day visit is above my authority") is far from the KSB's wording but near the worked
    escalations it was learned from. Another person's words in a forwarded thread (the
    customer's "I have been charged twice") come after the apprentice's own sentences."""
    sims = a.unit_vecs @ kv.combined[k]
    if exemplars is not None and exemplars.units is not None and exemplars.unit_ksb is not None:
        own = exemplars.units[exemplars.unit_ksb == k]
        if len(own):
            sims = np.maximum(sims, (a.unit_vecs @ own.T).max(axis=1))
    n = len(a.sentences)
    other = lambda m: a.sentences[m].other_author  # noqa: E731
    single = lambda m: (a.units[m].flagged, other(m), -sims[m], m)  # noqa: E731  (units 0..n-1 are the sentences)
    quotable = lambda m: not (a.sentences[m].heading or a.sentences[m].title or a.sentences[m].thread_header  # noqa: E731
                              or a.sentences[m].form_field)
    candidates = [u for u in range(len(a.units)) if any(quotable(m) for m in a.units[u].members)]
    picked: list[int] = []
    if candidates:      # only the best unit leads, so no need to sort them all (once per listed KSB)
        best = min(candidates, key=lambda u: (a.units[u].flagged, any(other(m) for m in a.units[u].members), -sims[u], u))
        picked += sorted((m for m in a.units[best].members if quotable(m)), key=single)
    for m in sorted(range(n), key=single):
        if len(picked) >= limit:
            break
        if m not in picked and quotable(m):
            picked.append(m)
    return picked[:limit]
