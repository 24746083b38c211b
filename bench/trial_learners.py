"""Design trial (round 5): other learners in place of the fusion's logistic regression.

    python bench/trial_learners.py gbt|pairwise [--vec-cache F] [VARIANT]

Why: recall@5 is a ranking figure and the shipped fusion is a pointwise, linear model. Two
alternatives, on the shipped features and the same nested leave-one-apprentice-out protocol
(chosen on the inner figure, never the scored fold):

- ``gbt``: scikit-learn's HistGradientBoostingClassifier (non-linear, feature interactions);
  the C grid is mapped to (learning rate, leaves) pairs.
- ``pairwise``: a linear ranker trained on (labelled KSB - unlabelled KSB) feature differences
  within each piece (logistic loss, no intercept), then one-feature Platt scaling of its score
  so the acceptance threshold keeps its meaning.

Measured 2026-12-03 (log in bench/README.md): both lower than the shipped model on the inner
figures, so neither ships. Bench only; the package never imports this.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import tagger_variants as tv  # noqa: E402
import tagging_quality as tq  # noqa: E402
import train_tagger as tt  # noqa: E402
from portfolio_check.standards import load_standard  # noqa: E402
from portfolio_check.tagging import TaggingConfig, TaggingEngine  # noqa: E402

# C grid value -> (learning rate, max leaf nodes) for the boosted trees
GBT_GRID = {0.03: (0.05, 8), 0.1: (0.05, 16), 0.3: (0.1, 8), 1.0: (0.1, 16), 3.0: (0.1, 31)}


def fit_gbt(X: np.ndarray, y: np.ndarray, C: float, class_weight=None):
    from sklearn.ensemble import HistGradientBoostingClassifier
    rate, leaves = GBT_GRID[C]
    return HistGradientBoostingClassifier(learning_rate=rate, max_leaf_nodes=leaves, max_iter=200, min_samples_leaf=20,
                                          l2_regularization=1.0, random_state=0, early_stopping=False).fit(X, y)


def predict_gbt(m, X: np.ndarray) -> np.ndarray:
    return m.predict_proba(X)[:, 1]


_rows = tt.rows


def rows_with_piece(pieces, *args, **kwargs):
    """train_tagger.rows, with each row's piece index as a last column (the ranker pairs rows
    within a piece; predict drops the column)."""
    X, y, where = _rows(pieces, *args, **kwargs)
    if not len(X):
        return X, y, where
    return np.hstack([X, np.array([i for i, _ in where], dtype=float)[:, None]]), y, where


def fit_pairwise(X: np.ndarray, y: np.ndarray, C: float, class_weight=None) -> dict:
    from sklearn.linear_model import LogisticRegression
    piece, X = X[:, -1], X[:, :-1]
    mean, scale = X.mean(axis=0), X.std(axis=0)
    scale[scale < 1e-9] = 1.0
    Z = (X - mean) / scale
    diffs = []
    for p in np.unique(piece):
        here = piece == p
        pos, neg = Z[here & (y == 1)], Z[here & (y == 0)]
        if len(pos) and len(neg):
            diffs.append((pos[:, None, :] - neg[None, :, :]).reshape(-1, Z.shape[1]))
    D = np.vstack(diffs)
    ranker = LogisticRegression(C=C, fit_intercept=False, max_iter=5000).fit(
        np.vstack([D, -D]), np.r_[np.ones(len(D)), np.zeros(len(D))])
    w = ranker.coef_[0]
    platt = LogisticRegression(C=1e4, max_iter=5000).fit((Z @ w)[:, None], y)
    return {"mean": mean, "scale": scale, "w": w, "a": float(platt.coef_[0][0]), "b": float(platt.intercept_[0])}


def predict_pairwise(m: dict, X: np.ndarray) -> np.ndarray:
    if X.shape[1] == len(m["w"]) + 1:        # rows carry the piece column; full_scores' do not
        X = X[:, :-1]
    s = ((X - m["mean"]) / m["scale"]) @ m["w"]
    return 1.0 / (1.0 + np.exp(-(m["a"] * s + m["b"])))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("learner", choices=("gbt", "pairwise"))
    ap.add_argument("variant", nargs="?", default="st_knn_prior_rank_pknn_exonly")
    ap.add_argument("--vec-cache", default=None)
    args = ap.parse_args()
    if args.learner == "gbt":
        tt.fit, tt.predict = fit_gbt, predict_gbt
    else:
        tt.fit, tt.predict, tt.rows = fit_pairwise, predict_pairwise, rows_with_piece
    tt.vec_cache(args.vec_cache)
    engine = TaggingEngine(load_standard("ST0071"), TaggingConfig(semantic=True))
    pieces = tt.load_pieces(engine)
    tt.vec_cache(args.vec_cache, save=True)
    res = tq.evaluate_loao(engine, tt.Variant(args.variant, **tv.CANDIDATES[args.variant]), pieces)
    a = res["new_all"]
    print(f"{args.learner} on {args.variant}: inner F1 {res['inner_f1']:.3f} recall@5 {res['inner_recall_at_5']:.3f}; "
          f"outer P {a['precision']:.3f} R {a['recall']:.3f} F1 {a['f1']:.3f} recall@5 {a['recall_at_5']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
