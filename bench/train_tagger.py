"""Train the tagger's fusion model from the dev cohorts and write tagging/data/fusion.json.

    python bench/train_tagger.py            # rebuild src/portfolio_check/tagging/data/fusion.json
    python bench/train_tagger.py --check    # rebuild twice in memory, compare with the shipped file

Data: ../shared/dev-cohort (apr-d01..d03: only the professional-discussion KSBs are labelled
consistently there, so only PD KSBs are rows of those pieces) and ../shared/dev-cohort-2
(apr-e01..e06: all 47 KSBs labelled). One row per (piece, KSB in scope); primary label = 1,
secondary = left out (neither right nor wrong), otherwise 0. bench/data/synthetic (76 pieces
written for this project in 7 other sectors) is training-only: its pieces are in every training
fold and never scored; the shipped ST0071 design takes exemplars from them, not fusion rows.

Every constant is chosen by leave-one-apprentice-out (LOAO) cross-validation: the shipped
model's regularisation C and acceptance threshold are those that maximise micro F1 of the
out-of-fold scores over the 9 apprentices. Exemplar centroids (the per-standard model) are
cross-fitted: a training row's exemplar features never use its own apprentice's pieces.
scikit-learn is needed here (the ``train`` extra), never at run time.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from portfolio_check.parse import ocr, parse_file  # noqa: E402
from portfolio_check.standards import load_standard  # noqa: E402
from portfolio_check.tagging import TaggingConfig, guards, semantic  # noqa: E402
from portfolio_check.tagging.engine import NON_EVIDENCE_TYPES, THIRD_PERSON_TYPES, TaggingEngine  # noqa: E402
from portfolio_check.tagging.evidence_type import classify  # noqa: E402

SHARED = REPO.parent / "shared"
COHORTS = ("dev-cohort", "dev-cohort-2")
# Training-only text written for this project in sectors neither dev cohort uses (bench/data/
# synthetic/README.md): its pieces join every training fold and are never scored.
SYNTHETIC = REPO / "bench" / "data" / "synthetic"
PD_ONLY_COHORTS = {"dev-cohort"}
C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(2, 19))
OUT = REPO / "src" / "portfolio_check" / "tagging" / "data" / "fusion.json"
EXEMPLAR_UNITS = 2      # best units per labelled piece that join its KSB's exemplar centroid
ROUND = 5
# ST0071's observation methods (semantic.OBSERVED_FEATURES), as the engine reads them
OBSERVATION_METHODS = frozenset(load_standard("ST0071").methods_of_kind("observation"))


@dataclass
class Piece:
    cohort: str
    apprentice: str
    file: str
    label_type: str
    flags: str
    primary: set
    secondary: set
    scope: np.ndarray          # bool (K,): which KSB rows are labelled for this piece
    analysis: semantic.Analysis
    lex: dict
    evidence_type: str
    cited_wrong: set
    old: dict                  # the old lexical tagger's scores (with its 0.6 off-method prior), for comparison
    old_accepted: set
    train_only: bool = False   # synthetic training text: in every training fold, never scored


def _mis_mapped(notes: str) -> set:
    """Codes the labels' notes call mis-mapped ('K5 is MIS-MAPPED')."""
    return set(re.findall(r"\b([KSB]\d{1,2}) is MIS-MAPPED", notes)) | set(
        re.findall(r"Cites ([KSB]\d{1,2}) - MIS-MAPPED", notes))


def load_labelled(engine: TaggingEngine, labels: Path, path_of, pd_only: bool, train_only: bool) -> list[Piece]:
    """Pieces of one labels.csv (LABELLING.md's columns); ``path_of(row)`` is the file's path."""
    codes = engine.ksb_vectors.codes
    pd = set(engine.standard.portfolio_ksbs)
    pieces = []
    for r in csv.DictReader(open(labels, encoding="utf-8")):
        path = path_of(r)
        doc = parse_file(path)
        et = classify(doc, r["file"])
        sentences, docs = engine.sentences(doc.all_blocks())
        gctx = guards.GuardContext(third_person_ok=et.type in THIRD_PERSON_TYPES)
        a = semantic.analyse(sentences, engine.encoder, gctx)
        lex = {c.ksb: c.score for c in engine.lexical.candidates(sentences, docs, "portfolio")} if sentences else {}
        old = engine._merge(sentences, engine.lexical_candidates(sentences, docs, "portfolio"), "portfolio")
        scope = np.array([(c in pd) if pd_only else True for c in codes])
        pieces.append(Piece(labels.parent.name, r["apprentice_id"], r["file"], r["evidence_type"], r["flags"],
                            set(r["primary_ksbs"].split()), set(r["secondary_ksbs"].split()), scope, a, lex,
                            et.type, _mis_mapped(r["notes"]), {x.ksb: x.score for x in old.suggestions},
                            set(old.accepted), train_only))
    return pieces


def load_pieces(engine: TaggingEngine, shared: Path = SHARED, synthetic: bool = True) -> list[Piece]:
    """The 9 dev apprentices (scored) and, with ``synthetic``, the training-only pieces."""
    pieces = []
    for cohort in COHORTS:
        root = shared / cohort
        pieces += load_labelled(engine, root / "labels.csv",
                                lambda r, root=root: root / r["apprentice_id"] / "portfolio" / r["file"],
                                cohort in PD_ONLY_COHORTS, train_only=False)
    if synthetic:
        pieces += load_labelled(engine, SYNTHETIC / "labels.csv",
                                lambda r: SYNTHETIC / r["apprentice_id"] / r["file"], False, train_only=True)
    return pieces


def scored_apprentices(pieces: list[Piece]) -> list[str]:
    """The apprentices whose folds are scored (the dev cohorts; never synthetic writers)."""
    return sorted({p.apprentice for p in pieces if not p.train_only})


_BEST_UNITS: dict[tuple[str, str, str], tuple] = {}


def _best_clean_units(p: Piece, kv: semantic.KsbVectors) -> list:
    """(KSB column, its EXEMPLAR_UNITS best clean unit indices) for each primary KSB of the
    piece; memoised per piece because every cross-fitted fold asks again."""
    key = (p.cohort, p.apprentice, p.file)
    hit = _BEST_UNITS.get(key)
    if hit is None or hit[0] is not p.analysis or hit[1] is not kv:
        a = p.analysis
        clean = np.array([not u.flagged for u in a.units])
        sims = semantic.best_units(a, kv)
        out = []
        for k, code in enumerate(kv.codes):
            if code in p.primary:
                s = np.where(clean, sims[:, k], -2.0)
                out.append((k, [int(u) for u in np.argsort(-s, kind="stable")[:EXEMPLAR_UNITS]]))
        _BEST_UNITS[key] = (p.analysis, kv, out)
    return _BEST_UNITS[key][2]


def build_exemplars(pieces: list[Piece], kv: semantic.KsbVectors) -> semantic.Exemplars:
    """Per KSB: centroid of the best-matching clean units of pieces labelled with it, and the
    centroid of those pieces' vectors; a KSB nobody labelled falls back to its own text. The
    same best units are kept one by one (the kNN exemplars), and each KSB's smoothed log-odds
    of being labelled on a piece where it is in scope (the prior)."""
    K, d = kv.combined.shape
    unit_sum = np.zeros((K, d))
    piece_sum = np.zeros((K, d))
    ex_units: list[np.ndarray] = []
    ex_ksb: list[int] = []
    labelled = np.zeros(K)
    in_scope = np.zeros(K)
    piece_vecs: list[np.ndarray] = []
    pairs: list[tuple[int, int]] = []
    for p in pieces:
        in_scope += p.scope
        a = p.analysis
        if not a.units:
            continue
        best_units = _best_clean_units(p, kv)
        if best_units:
            piece_vecs.append(a.piece_vec)
        for k, best in best_units:
            pairs.append((len(piece_vecs) - 1, k))
            labelled[k] += 1
            for u in best:
                unit_sum[k] += a.unit_vecs[u]
                ex_units.append(a.unit_vecs[u])
                ex_ksb.append(k)
            piece_sum[k] += a.piece_vec
    for k in range(K):
        if not unit_sum[k].any():
            unit_sum[k] = kv.combined[k]
            piece_sum[k] = kv.combined[k]
    norm = lambda m: (m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-12)).astype(np.float32)  # noqa: E731
    # float16 round trip now, so training sees exactly the vectors the shipped file holds
    units = np.asarray(norm(np.array(ex_units)) if ex_units else np.zeros((0, d)), dtype="<f2").astype(np.float32)
    prior = np.log((labelled + 0.5) / (in_scope - labelled + 0.5))
    pvecs = np.asarray(norm(np.array(piece_vecs)) if piece_vecs else np.zeros((0, d)), dtype="<f2").astype(np.float32)
    return semantic.Exemplars(norm(unit_sum), norm(piece_sum), units, np.array(ex_ksb, dtype=np.int64),
                              np.round(prior, ROUND), pvecs, np.array(pairs, dtype=np.int64).reshape(-1, 2))


def observed_methods(p: Piece) -> frozenset[str]:
    """The observation methods an observation record shows (semantic.OBSERVED_FEATURES)."""
    return OBSERVATION_METHODS if p.evidence_type == "observation_record" else frozenset()


def rows(pieces: list[Piece], kv, target, exemplars, lexical: bool, names=None):
    """Feature matrix, labels and (piece index, KSB index) of every in-scope, non-secondary row.
    ``exemplars``: one Exemplars for all pieces, or a callable apprentice -> Exemplars."""
    X, y, where = [], [], []
    for i, p in enumerate(pieces):
        ex = exemplars(p.apprentice) if callable(exemplars) else exemplars
        f = semantic.features(p.analysis, kv, target, p.evidence_type in NON_EVIDENCE_TYPES, ex,
                              p.lex if lexical else None, names, observed_methods(p))
        for k, code in enumerate(kv.codes):
            if not p.scope[k] or code in p.secondary:
                continue
            X.append(f[k])
            y.append(1 if code in p.primary else 0)
            where.append((i, k))
    return np.array(X), np.array(y), where


def _b64(m: np.ndarray) -> str:
    """Exemplar centroids as little-endian float16, base64: 1/4 of the JSON-number size."""
    import base64
    return base64.b64encode(np.ascontiguousarray(m, dtype="<f2").tobytes()).decode("ascii")


def fit(X: np.ndarray, y: np.ndarray, C: float, class_weight: str | None = None,
        nonnegative: np.ndarray | None = None) -> dict:
    """L2 logistic regression on standardised features. ``nonnegative`` (a boolean mask over the
    columns): those weights are held at 0 or above, so more of that feature can never lower a
    score (scikit-learn's solver has no bounds, so this case is fitted with SciPy's L-BFGS-B on
    the same objective: C times the log-loss plus half the squared weights, intercept free)."""
    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    scale[scale < 1e-9] = 1.0
    Z = (X - mean) / scale
    if nonnegative is None or not nonnegative.any():
        from sklearn.linear_model import LogisticRegression
        lr = LogisticRegression(C=C, max_iter=5000, solver="lbfgs", class_weight=class_weight)
        lr.fit(Z, y)
        return {"mean": mean, "scale": scale, "coef": lr.coef_[0], "intercept": float(lr.intercept_[0])}
    from scipy.optimize import minimize
    if class_weight == "balanced":
        weights = np.where(y == 1, len(y) / (2 * max(y.sum(), 1)), len(y) / (2 * max((1 - y).sum(), 1)))
    else:
        weights = np.ones(len(y))
    sign = np.where(y == 1, 1.0, -1.0)

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = theta[:-1], theta[-1]
        margin = sign * (Z @ w + b)
        loss = np.logaddexp(0.0, -margin)
        grad_margin = -weights * sign / (1.0 + np.exp(margin))
        value = C * float(weights @ loss) + 0.5 * float(w @ w)
        grad = np.concatenate([C * (Z.T @ grad_margin) + w, [C * grad_margin.sum()]])
        return value, grad
    bounds = [(0.0, None) if nn else (None, None) for nn in nonnegative] + [(None, None)]
    res = minimize(objective, np.zeros(Z.shape[1] + 1), jac=True, method="L-BFGS-B", bounds=bounds,
                   options={"maxiter": 5000, "gtol": 1e-8})
    return {"mean": mean, "scale": scale, "coef": res.x[:-1], "intercept": float(res.x[-1])}


def predict(m: dict, X: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-(((X - m["mean"]) / m["scale"]) @ m["coef"] + m["intercept"])))


def micro_f1(y: np.ndarray, s: np.ndarray, t: float) -> float:
    acc = s >= t
    tp = int((acc & (y == 1)).sum())
    fp = int((acc & (y == 0)).sum())
    fn = int((~acc & (y == 1)).sum())
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def top5_share(score: float, scores: list[float]) -> float:
    """How much of a top-5 hit a KSB with ``score`` is among ``scores`` (its own included):
    1 or 0 without ties; at a tie across the fifth place, its expected share under a random
    order of the tied KSBs. An unreadable piece scores every KSB the same, and ranking those
    by code made hits of labels nothing had read."""
    above = sum(1 for x in scores if x > score)
    tied = sum(1 for x in scores if x == score)
    if above >= 5:
        return 0.0
    return min(1.0, (5 - above) / tied)


def recall_at_5(y: np.ndarray, s: np.ndarray, where: list) -> float:
    """Share of primary rows ranked in the top 5 of their piece (ranked among its scored rows),
    a tie across the fifth place counted by :func:`top5_share`."""
    by_piece: dict[int, list[tuple[float, int]]] = {}
    for (i, _), yy, ss in zip(where, y, s):
        by_piece.setdefault(i, []).append((float(ss), int(yy)))
    hit = 0.0
    for rows in by_piece.values():
        scores = [x for x, _ in rows]
        hit += sum(top5_share(x, scores) for x, yy in rows if yy)
    total = int(y.sum())
    return hit / total if total else 0.0


class Variant:
    """One model family: generic (text-only features) or per-standard (exemplars + lexicon).
    ``names``: the feature list (default ``semantic.feature_names``); ``class_weight``: passed
    to the logistic regression."""

    def __init__(self, name: str, exemplars: bool, lexical: bool, names: tuple[str, ...] | None = None,
                 class_weight: str | None = None, synthetic_rows: bool = True, monotone: tuple[str, ...] = ()):
        self.name, self.exemplars, self.lexical = name, exemplars, lexical
        # False: synthetic pieces only feed the exemplars, not the fusion's training rows
        self.synthetic_rows = synthetic_rows
        self.names = tuple(names) if names else semantic.feature_names(exemplars, lexical)
        self.class_weight = class_weight
        # features whose weight may not be negative (more similarity never lowers a score)
        self.monotone = tuple(monotone)
        self.nonnegative = np.array([n in self.monotone for n in self.names]) if self.monotone else None
        self._memo: dict = {}

    def design(self, train: list[Piece], test: list[Piece], kv, target):
        """Memoised by the apprentices on each side (the design does not depend on C)."""
        key = (tuple(sorted({p.apprentice for p in train})), tuple(sorted({p.apprentice for p in test})), len(train), len(test))
        if key not in self._memo:
            self._memo[key] = self._design(train, test, kv, target)
        return self._memo[key]

    def _design(self, train: list[Piece], test: list[Piece], kv, target):
        """Rows of train (exemplars cross-fitted by apprentice) and of test (exemplars from all of train)."""
        fit_on = train if self.synthetic_rows else [p for p in train if not p.train_only]
        if not self.exemplars:
            return (rows(fit_on, kv, target, None, self.lexical, self.names),
                    rows(test, kv, target, None, self.lexical, self.names))
        by_app: dict[str, semantic.Exemplars] = {}

        def cross(app: str) -> semantic.Exemplars:
            if app not in by_app:
                by_app[app] = build_exemplars([p for p in train if p.apprentice != app], kv)
            return by_app[app]
        return (rows(fit_on, kv, target, cross, self.lexical, self.names),
                rows(test, kv, target, build_exemplars(train, kv), self.lexical, self.names))

    def oof(self, pieces: list[Piece], kv, target, C: float) -> tuple[np.ndarray, np.ndarray, list]:
        """Out-of-fold scores of every row of ``pieces`` by leave-one-apprentice-out."""
        ys, ss, ws = [], [], []
        for app in scored_apprentices(pieces):
            train = [p for p in pieces if p.apprentice != app]
            test_idx = [i for i, p in enumerate(pieces) if p.apprentice == app]
            test = [pieces[i] for i in test_idx]
            (Xt, yt, _), (Xs, ys_, ws_) = self.design(train, test, kv, target)
            m = fit(Xt, yt, C, self.class_weight, self.nonnegative)
            ys.append(ys_)
            ss.append(predict(m, Xs))
            ws += [(test_idx[i], k) for i, k in ws_]
        return np.concatenate(ys), np.concatenate(ss), ws

    def choose(self, pieces: list[Piece], kv, target) -> tuple[float, float, float]:
        """(C, threshold, F1) maximising LOAO micro F1 over ``pieces`` (ties: smaller C, lower t)."""
        C, t, f, _ = self.choose_with_recall(pieces, kv, target)
        return C, t, f

    def choose_with_recall(self, pieces: list[Piece], kv, target) -> tuple[float, float, float, float]:
        """As ``choose``, plus the LOAO recall@5 at the chosen C: with ``nested`` these are the
        inner-fold figures that design decisions are made on (they never see the scored fold)."""
        best = (-1.0, 0.0, 0.0, 0.0)
        for C in C_GRID:
            y, s, w = self.oof(pieces, kv, target, C)
            r5 = None
            for t in THRESHOLDS:
                f = micro_f1(y, s, t)
                if f > best[0] + 1e-12:
                    r5 = recall_at_5(y, s, w) if r5 is None else r5
                    best = (f, C, t, r5)
        return best[1], best[2], best[0], best[3]

    def nested(self, pieces: list[Piece], kv, target) -> dict:
        """Honest figures: for each held-out apprentice, C and threshold are chosen by LOAO over
        the other eight only, the model is fitted on them, and the held-out pieces are scored."""
        scores = {}
        chosen = {}
        inner = {}
        for app in scored_apprentices(pieces):
            train = [p for p in pieces if p.apprentice != app]
            C, t, f_in, r5_in = self.choose_with_recall(train, kv, target)
            inner[app] = (f_in, r5_in)
            test_idx = [i for i, p in enumerate(pieces) if p.apprentice == app]
            (Xt, yt, _), (Xs, _, ws) = self.design(train, [pieces[i] for i in test_idx], kv, target)
            m = fit(Xt, yt, C, self.class_weight, self.nonnegative)
            pred = predict(m, Xs)
            # every KSB row of the held-out pieces is scored (also out-of-scope ones, for ranking)
            for (i, k), sc in zip(ws, pred):
                scores[(test_idx[i], k)] = float(sc)
            full = self.full_scores([pieces[i] for i in test_idx], train, kv, target, m)
            for j, i in enumerate(test_idx):
                for k in range(len(kv.codes)):
                    scores.setdefault((i, k), float(full[j][k]))
            chosen[app] = (C, t)
        return {"scores": scores, "chosen": chosen, "inner": inner}

    def full_scores(self, test: list[Piece], train: list[Piece], kv, target, m) -> list[np.ndarray]:
        ex = build_exemplars(train, kv) if self.exemplars else None
        return [predict(m, semantic.features(p.analysis, kv, target, p.evidence_type in NON_EVIDENCE_TYPES, ex,
                                             p.lex if self.lexical else None, self.names, observed_methods(p)))
                for p in test]

    def ship(self, pieces: list[Piece], kv, target, std_hash: str | None) -> dict:
        C, t, f = self.choose(pieces, kv, target)
        ex = build_exemplars(pieces, kv) if self.exemplars else None
        if self.exemplars:
            (X, y, _), _ = self.design(pieces, [], kv, target)
        else:
            X, y, _ = rows(pieces if self.synthetic_rows else [p for p in pieces if not p.train_only],
                           kv, target, None, self.lexical, self.names)
        m = fit(X, y, C, self.class_weight, self.nonnegative)
        r = lambda a: [round(float(v), ROUND) for v in a]  # noqa: E731
        out = {"features": list(self.names),
               "mean": r(m["mean"]), "scale": r(m["scale"]), "coef": r(m["coef"]),
               "intercept": round(m["intercept"], ROUND), "threshold": t, "C": C,
               "loao_f1_of_choice": round(f, 4), "rows": int(len(y)), "positives": int(y.sum())}
        if std_hash:
            out["standard_hash"] = std_hash
        if ex is not None:
            out["exemplars"] = {"codes": list(kv.codes), "dtype": "float16-base64",
                                "unit": _b64(ex.unit), "piece": _b64(ex.piece)}
            if any(n in semantic.KNN_FEATURES for n in self.names):
                out["exemplars"].update({"units": _b64(ex.units), "unit_ksb": [int(k) for k in ex.unit_ksb]})
            if "prior" in self.names:
                out["exemplars"]["prior"] = [float(v) for v in ex.prior]
            if any(n in semantic.PIECE_KNN_FEATURES for n in self.names):
                out["exemplars"].update({"pieces": _b64(ex.pieces),
                                         "piece_pairs": [[int(i), int(k)] for i, k in ex.piece_pairs]})
        return out


# The shipped designs, chosen on the inner-fold figure of bench/tagger_variants.py (log in
# bench/README.md). ST0071: exemplar centroids, kNN exemplar units, exemplar ranks, the label
# prior and the nearest labelled pieces (the synthetic pieces add exemplars, not fusion rows:
# as rows they lowered the inner F1). generic: dev rows only.
VARIANTS = {"generic": Variant("generic", exemplars=False, lexical=False,
                               names=semantic.BASE_FEATURES + semantic.OBSERVED_FEATURES, synthetic_rows=False),
            "ST0071": Variant("ST0071", exemplars=True, lexical=True,
                              names=semantic.BASE_FEATURES + semantic.EXEMPLAR_FEATURES + semantic.RANK_FEATURES
                              + semantic.KNN_FEATURES + semantic.PRIOR_FEATURES + semantic.PIECE_KNN_FEATURES
                              + semantic.LEXICAL_FEATURES, synthetic_rows=False)}


def fold_model(pieces: list[Piece], engine: TaggingEngine, exclude: set[str]):
    """The ST0071 model as shipped, but trained without the apprentices in ``exclude`` (their
    pieces feed neither the fusion rows nor the exemplars). For benches that must score
    apprentices the model never saw: out-of-fold verdicts, learning lift."""
    from portfolio_check.tagging.fusion import FusionModel
    shipped = VARIANTS["ST0071"]
    v = Variant(shipped.name, shipped.exemplars, shipped.lexical, shipped.names, shipped.class_weight,
                shipped.synthetic_rows)
    kept = [p for p in pieces if p.apprentice not in exclude]
    d = v.ship(kept, engine.ksb_vectors, engine.standard.portfolio_method, semantic.standard_hash(engine.standard))
    return FusionModel.from_dict("ST0071", json.loads(json.dumps(d)))


def vec_cache(path: str | None, save: bool = False) -> None:
    """Bench-only speed-up between runs: the process's text-hash -> vector cache in an .npz
    (arrays only, loaded with allow_pickle=False). Never used by the package."""
    if not path:
        return
    from portfolio_check.tagging.encoder import requested_backend
    p = Path(path)
    backend = requested_backend()       # vectors of one backend never stand in for another's
    if save:
        keys = sorted(semantic._VEC_CACHE)
        np.savez(p, keys=np.array(keys), vecs=np.stack([semantic._VEC_CACHE[k] for k in keys]),
                 backend=np.array(backend))
    elif p.exists():
        with np.load(p, allow_pickle=False) as z:
            if "backend" in z.files and str(z["backend"]) == backend:
                semantic._VEC_CACHE.update(zip(z["keys"].tolist(), z["vecs"]))
            else:
                print(f"vector cache {p} was made by another encoder backend: not used", file=sys.stderr)


def build(pieces: list[Piece], engine: TaggingEngine) -> str:
    for v in VARIANTS.values():
        v._memo.clear()
    kv = engine.ksb_vectors
    target = engine.standard.portfolio_method
    std_hash = semantic.standard_hash(engine.standard)
    models = {"generic": VARIANTS["generic"].ship(pieces, kv, target, None),
              "ST0071": VARIANTS["ST0071"].ship(pieces, kv, target, std_hash)}
    enc = engine.encoder
    data = {"schema_version": 1, "encoder": enc.model_id, "encoder_weights_sha256": enc.weights_sha256,
            "encoder_backend": enc.backend,
            "trained_on": "dev-cohort (PD KSBs only) + dev-cohort-2 (all KSBs) + bench/data/synthetic "
                          "(training only); LOAO over the 9 dev apprentices",
            "rebuild": "python bench/train_tagger.py", "models": models,
            # Two dev pieces are scans: their text, and so the weights, depend on the OCR engine.
            "scans_read_with": ocr.engine_id()}
    return json.dumps(data, indent=1, sort_keys=True) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="rebuild twice, compare with each other and the shipped file")
    ap.add_argument("--vec-cache", default=None, help="bench speed-up: keep sentence vectors in this .npz between runs")
    args = ap.parse_args()
    if ocr.engine() is None:
        print("train_tagger: no OCR engine (tesseract-ocr with English data). Two dev pieces are scans; "
              "without OCR they would be trained on as empty, and the rebuild would not be the shipped file. "
              "Install Debian's tesseract-ocr and tesseract-ocr-eng (as .ci/run does).", file=sys.stderr)
        return 2
    vec_cache(args.vec_cache)
    engine = TaggingEngine(load_standard("ST0071"), TaggingConfig(semantic=True))
    pieces = load_pieces(engine)
    vec_cache(args.vec_cache, save=True)
    text = build(pieces, engine)
    digest = hashlib.sha256(text.encode()).hexdigest()
    if args.check:
        again = build(load_pieces(engine), engine)
        shipped = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        print(f"rebuild 1 sha256 {digest}")
        print(f"rebuild 2 sha256 {hashlib.sha256(again.encode()).hexdigest()}")
        print(f"shipped   sha256 {hashlib.sha256(shipped.encode()).hexdigest()}")
        ok = text == again == shipped
        print("byte-identical" if ok else "DIFFERENT")
        was = json.loads(shipped).get("scans_read_with") if shipped else None
        if not ok and was and was != ocr.engine_id():
            print(f"  the shipped file read the dev scans with {was}; this machine has {ocr.engine_id()}")
        return 0 if ok else 1
    OUT.write_text(text, encoding="utf-8")
    models = json.loads(text)["models"]
    for name, m in models.items():
        print(f"{name}: C={m['C']} threshold={m['threshold']} LOAO F1 of that choice {m['loao_f1_of_choice']} "
              f"({m['rows']} rows, {m['positives']} positive)")
    print(f"wrote {OUT} ({len(text):,} bytes, sha256 {digest})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
