"""Design log for the tagger's fusion: nested LOAO figures of candidate variants, side by side.

    python bench/tagger_variants.py --vec-cache /tmp/vecs.npz [--score-synthetic] [--extra-training DIR] [NAME ...]

Why: choosing a design by watching the outer (scored) LOAO figure is tuning on the scored
folds. Each line prints the design-selection figure first (inner folds only: the mean over
held-out apprentices of the LOAO F1 / recall@5 over the other 8 at the chosen C), which is
what a design is chosen on, then the outer nested figure, which is only reported.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import tagging_quality as tq  # noqa: E402
import train_tagger as tt  # noqa: E402
from portfolio_check.standards import load_standard  # noqa: E402
from portfolio_check.tagging import TaggingConfig, TaggingEngine, semantic  # noqa: E402

B, E, L = semantic.BASE_FEATURES, semantic.EXEMPLAR_FEATURES, semantic.LEXICAL_FEATURES
KNN, PRIOR = semantic.KNN_FEATURES, semantic.PRIOR_FEATURES
KIND, RANK = semantic.UNIT_KIND_FEATURES, semantic.RANK_FEATURES
OFF = semantic.OFF_METHOD_FEATURES
PKNN = semantic.PIECE_KNN_FEATURES
OBS = semantic.OBSERVED_FEATURES
UNIT_E = ("e_max", "e_rel")      # the exemplar features that read units, not whole pieces
CANDIDATES = {
    "st_base": dict(exemplars=True, lexical=True, names=B + E + L),
    "st_knn": dict(exemplars=True, lexical=True, names=B + E + KNN + L),
    "st_prior": dict(exemplars=True, lexical=True, names=B + E + PRIOR + L),
    "st_knn_prior": dict(exemplars=True, lexical=True, names=B + E + KNN + PRIOR + L),
    "st_knn_prior_bal": dict(exemplars=True, lexical=True, names=B + E + KNN + PRIOR + L, class_weight="balanced"),
    "st_knn_prior_rank": dict(exemplars=True, lexical=True, names=B + E + RANK + KNN + PRIOR + L),
    "st_knn_prior_kind": dict(exemplars=True, lexical=True, names=B + KIND + E + KNN + PRIOR + L),
    "st_knn_kind": dict(exemplars=True, lexical=True, names=B + KIND + E + KNN + L),
    "st_base_exonly": dict(exemplars=True, lexical=True, names=B + E + L, synthetic_rows=False),
    "st_knn_exonly": dict(exemplars=True, lexical=True, names=B + E + KNN + L, synthetic_rows=False),
    "st_knn_prior_rank_exonly": dict(exemplars=True, lexical=True, names=B + E + RANK + KNN + PRIOR + L,
                                     synthetic_rows=False),
    "st_knn_off_exonly": dict(exemplars=True, lexical=True, names=B + E + KNN + OFF + L, synthetic_rows=False),
    "st_knn_prior_rank_off_exonly": dict(exemplars=True, lexical=True, names=B + E + RANK + KNN + PRIOR + OFF + L,
                                         synthetic_rows=False),
    "st_knn_bal_exonly": dict(exemplars=True, lexical=True, names=B + E + KNN + L, class_weight="balanced",
                              synthetic_rows=False),
    "st_knn_prior_rank_pknn_exonly": dict(exemplars=True, lexical=True, names=B + E + RANK + KNN + PRIOR + PKNN + L,
                                          synthetic_rows=False),
    "st_knn_prior_rank_pknn_qrank_exonly": dict(exemplars=True, lexical=True,
                                                names=B + E + RANK + KNN + PRIOR + PKNN + semantic.PIECE_KNN_RANK_FEATURES + L,
                                                synthetic_rows=False),
    "st_knn_prior_rank_pknn_off_exonly": dict(exemplars=True, lexical=True,
                                              names=B + E + RANK + KNN + PRIOR + PKNN + OFF + L, synthetic_rows=False),
    "st_knn_prior_rank_pknn": dict(exemplars=True, lexical=True, names=B + E + RANK + KNN + PRIOR + PKNN + L),
    "st_knn_prior_rank_pknn_obs_exonly": dict(exemplars=True, lexical=True,
                                              names=B + E + RANK + KNN + PRIOR + PKNN + OBS + L, synthetic_rows=False),
    "gen_base_obs": dict(exemplars=False, lexical=False, names=B + OBS),
    "gen_base_devrows": dict(exemplars=False, lexical=False, names=B, synthetic_rows=False),      # as shipped
    "gen_base_obs_devrows": dict(exemplars=False, lexical=False, names=B + OBS, synthetic_rows=False),
    # round 9: the generic model's similarity weights held at 0 or above. Shipped, s_max and
    # s_all_max had negative weights (collinear with s_rel / s_z / stmt_max), so on a new
    # standard a sentence that restates a KSB scored lower the closer it was (0.03-0.05)
    "gen_base_obs_devrows_mono": dict(exemplars=False, lexical=False, names=B + OBS, synthetic_rows=False,
                                      monotone=semantic.SIMILARITY_FEATURES),
    "st_knn_pknn_exonly": dict(exemplars=True, lexical=True, names=B + E + KNN + PKNN + L, synthetic_rows=False),
    # round 6: without the whole-piece signals (centroid of labelled pieces, nearest labelled
    # pieces, label share), which encode what pieces of a kind were labelled with in training
    "st_unit_exonly": dict(exemplars=True, lexical=True, names=B + UNIT_E + ("e_rank",) + KNN + L, synthetic_rows=False),
    "st_unit_nolex_exonly": dict(exemplars=True, lexical=False, names=B + UNIT_E + ("e_rank",) + KNN, synthetic_rows=False),
    "gen_kind": dict(exemplars=False, lexical=False, names=B + KIND),
    "gen_base": dict(exemplars=False, lexical=False, names=B),
    "gen_bal": dict(exemplars=False, lexical=False, names=B, class_weight="balanced"),
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*", default=list(CANDIDATES))
    ap.add_argument("--vec-cache", default=None)
    ap.add_argument("--no-synthetic", action="store_true", help="train on the dev cohorts only")
    ap.add_argument("--score-synthetic", action="store_true",
                    help="a wider selection figure: the 7 synthetic writers are scored apprentices too, so "
                         "LOAO runs over 16 writers (their pieces are fusion rows and exemplars like the dev ones)")
    ap.add_argument("--extra-training", action="append", default=[], metavar="DIR",
                    help="more training-only pieces (DIR/labels.csv, files in DIR/<apprentice_id>/), as the "
                         "synthetic ones; the round-5 trial used bench/data/blind-2, which is report-only since")
    args = ap.parse_args()
    tt.vec_cache(args.vec_cache)
    engine = TaggingEngine(load_standard("ST0071"), TaggingConfig(semantic=True))
    pieces = tt.load_pieces(engine, synthetic=not (args.no_synthetic or args.score_synthetic))
    if args.score_synthetic:
        pieces += tt.load_labelled(engine, tt.SYNTHETIC / "labels.csv", lambda r: tt.SYNTHETIC / r["apprentice_id"] / r["file"],
                                   False, train_only=False)
    for extra in map(Path, args.extra_training):
        pieces += tt.load_labelled(engine, extra / "labels.csv", lambda r, root=extra: root / r["apprentice_id"] / r["file"],
                                   False, train_only=True)
    tt.vec_cache(args.vec_cache, save=True)
    print(f"{'variant':<22}{'inner F1':>9}{'inner R@5':>10}   {'outer P':>8}{'R':>7}{'F1':>7}{'R@5':>7}  "
          f"{'nonPD F1':>8}{'nonPD R@5':>10}  non-evidence accepted")
    for name in args.names:
        v = tt.Variant(name, **CANDIDATES[name])
        res = tq.evaluate_loao(engine, v, pieces)
        a, n = res["new_all"], res["new_non_pd"]
        bad = sum(1 for acc in res["non_evidence"].values() if acc)
        print(f"{name:<22}{res['inner_f1']:9.3f}{res['inner_recall_at_5']:10.3f}   {a['precision']:8.3f}{a['recall']:7.3f}"
              f"{a['f1']:7.3f}{a['recall_at_5']:7.3f}  {n['f1']:8.3f}{n['recall_at_5']:10.3f}  {bad}"
              f"{' MISCITE ' + str(res['miscite_credited']) if res['miscite_credited'] else ''}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
