"""Lift from learning from tutor decisions, measured on a labelled cohort.

    python bench/learning_lift.py [--cohort ../shared/dev-cohort] [--teacher apr-d01] [--lexical | --out-of-fold]
    python bench/learning_lift.py --cohort bench/data/blind-2 --teacher bl2-f1
    python bench/learning_lift.py --cohort bench/data/blind-2 --within

``--cohort`` is a cohort (``<id>/portfolio/<file>``) or a blind set (``<id>/<file>``): on a
blind set the shipped model never saw any of the pieces, so the lift is out of sample as it is.

The tutor's decisions are simulated from labels.csv for one apprentice (the "teacher"):
each accepted or suggested KSB that is a primary label is confirmed, each accepted one that
is neither primary nor secondary is rejected. The other apprentices are then scored with and
without the learned examples: micro P/R/F1 at the default threshold and recall@5.
It measures the default semantic tagger; ``--lexical`` measures ST0071's older lexicon tagger.
Caveat for that case: the shipped fusion was trained on every dev apprentice, so its figures
are in-sample and leave almost nothing to learn. ``--out-of-fold`` (needs the ``train`` extra)
retrains the ST0071 model without the scored apprentices (the teacher stays in), so both sides
are scored by a model that never saw them: the honest lift.
"""
from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from portfolio_check.parse import parse_file  # noqa: E402
from portfolio_check.standards import load_standard  # noqa: E402
from portfolio_check.tagging import TaggingConfig  # noqa: E402
from portfolio_check.tagging.engine import TaggingEngine  # noqa: E402


def labelled_scope(rows, standard) -> set[str]:
    """The KSBs a cohort's labels cover: all of them where any non-PD KSB is labelled
    (dev-cohort-2), else the portfolio method's only (dev-cohort labels PD KSBs alone, so a
    suggestion of another KSB there is neither right nor wrong)."""
    pd = set(standard.portfolio_ksbs)
    labelled = {c for r in rows for c in (r["primary_ksbs"] + " " + r["secondary_ksbs"]).split()}
    return set(standard.codes) if labelled - pd else pd


def piece_path(cohort: Path, row: dict) -> Path:
    """A cohort keeps pieces in <id>/portfolio/; the blind sets in <id>/ directly."""
    inside = cohort / row["apprentice_id"] / "portfolio" / row["file"]
    return inside if inside.exists() else cohort / row["apprentice_id"] / row["file"]


def counts(engine, rows, cohort, scope: set[str] | None = None) -> list[int]:
    """tp, fp, fn, labels in the top 5, labels: micro counts over ``rows`` (KSBs in ``scope``,
    by default those the rows' labels cover)."""
    tp = fp = fn = hit5 = total = 0
    scope = scope if scope is not None else labelled_scope(rows, engine.standard)
    for r in rows:
        res = engine.tag_document(parse_file(piece_path(cohort, r)), "portfolio", r["file"])
        primary, secondary = set(r["primary_ksbs"].split()), set(r["secondary_ksbs"].split())
        acc = set(res.accepted) & scope
        tp += len(acc & primary)
        fp += len(acc - primary - secondary)
        fn += len(primary - acc)
        hit5 += len(primary & set([s.ksb for s in res.suggestions if s.ksb in scope][:5]))
        total += len(primary)
    return [tp, fp, fn, hit5, total]


def figures(c: list[int]) -> dict[str, float]:
    tp, fp, fn, hit5, total = c
    p = tp / (tp + fp) if tp + fp else 0
    rc = tp / (tp + fn) if tp + fn else 0
    return {"precision": p, "recall": rc, "f1": 2 * p * rc / (p + rc) if p + rc else 0,
            "recall_at_5": hit5 / total if total else 0}


def score(engine, rows, cohort):
    return figures(counts(engine, rows, cohort))


def decisions(engine, rows, cohort, scope) -> list[tuple[str, str, bool]]:
    """The tutor's decisions on ``rows``, simulated from their labels: a listed suggestion of a
    primary label is confirmed, an accepted one that is neither primary nor secondary rejected."""
    examples = []
    for r in rows:
        res = engine.tag_document(parse_file(piece_path(cohort, r)), "portfolio", r["file"])
        primary, secondary = set(r["primary_ksbs"].split()), set(r["secondary_ksbs"].split())
        for s in res.suggestions:
            if s.ksb not in scope:      # unlabelled here: a tutor's decision cannot be simulated
                continue
            if s.ksb in primary:
                examples += [(s.ksb, q.sentence, True) for q in s.quotes]
            elif s.accepted and s.ksb not in secondary:
                examples += [(s.ksb, q.sentence, False) for q in s.quotes]
    return examples


def within(st, semantic: bool, rows, cohort) -> int:
    """Each apprentice's first half of pieces (labels.csv order) reviewed, the second half scored
    with and without what was learned from it: a tutor working through one portfolio."""
    base = TaggingEngine(st, TaggingConfig(semantic=semantic))
    scope = labelled_scope(rows, st)
    before, after, n_pos, n_all = [0] * 5, [0] * 5, 0, 0
    for app in sorted({r["apprentice_id"] for r in rows}):
        mine = [r for r in rows if r["apprentice_id"] == app]
        half = len(mine) // 2
        examples = decisions(base, mine[:half], cohort, scope)
        n_pos += sum(1 for e in examples if e[2])
        n_all += len(examples)
        learner = TaggingEngine(st, TaggingConfig(learned=tuple(examples), semantic=semantic))
        before = [a + b for a, b in zip(before, counts(base, mine[half:], cohort, scope))]
        after = [a + b for a, b in zip(after, counts(learner, mine[half:], cohort, scope))]
    print(f"Tagger: {'semantic' if base.uses_semantic else 'lexical'}; each apprentice's first half reviewed "
          f"({n_pos} confirmed and {n_all - n_pos} rejected example sentences), second half scored ({before[4]} labels)")
    b, a = figures(before), figures(after)
    for k in ("precision", "recall", "f1", "recall_at_5"):
        print(f"  {k:<12} without {b[k]:.3f}  with {a[k]:.3f}  lift {a[k] - b[k]:+.3f}")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cohort", default=str(REPO.parent / "shared" / "dev-cohort"))
    ap.add_argument("--teacher", default="apr-d01")
    ap.add_argument("--semantic", action="store_true", help="the default; kept for old command lines")
    ap.add_argument("--lexical", action="store_true", help="with ST0071's older lexicon tagger instead")
    ap.add_argument("--out-of-fold", action="store_true",
                    help="semantic, with the fusion retrained without the scored apprentices")
    ap.add_argument("--vec-cache", default=None, help="bench speed-up for --out-of-fold (see train_tagger.py)")
    ap.add_argument("--within", action="store_true",
                    help="no teacher: each apprentice's first half of pieces reviewed, their second half scored "
                         "(for a blind set or a cohort the shipped model never saw)")
    args = ap.parse_args()
    if args.lexical and args.out_of_fold:
        ap.error("--out-of-fold retrains the semantic tagger's fusion: leave out --lexical")
    if args.within and args.out_of_fold:
        ap.error("--within has no held-out model of its own: run it on a blind set")
    cohort = Path(args.cohort)
    rows = list(csv.DictReader(open(cohort / "labels.csv", encoding="utf-8")))
    st = load_standard("ST0071")
    semantic = False if args.lexical else True
    if args.within:
        return within(st, semantic, rows, cohort)
    base = TaggingEngine(st, TaggingConfig(semantic=semantic))
    fold = None
    if args.out_of_fold:
        sys.path.insert(0, str(REPO / "bench"))
        import train_tagger as tt
        tt.vec_cache(args.vec_cache)
        pieces = tt.load_pieces(base)
        tt.vec_cache(args.vec_cache, save=True)
        fold = tt.fold_model(pieces, base, {r["apprentice_id"] for r in rows} - {args.teacher})
        base._model = fold
    scope = labelled_scope(rows, st)
    examples = decisions(base, [r for r in rows if r["apprentice_id"] == args.teacher], cohort, scope)
    others = [r for r in rows if r["apprentice_id"] != args.teacher]
    before = score(base, others, cohort)
    learner = TaggingEngine(st, TaggingConfig(learned=tuple(examples), semantic=semantic))
    if fold is not None:
        learner._model = fold
    after = score(learner, others, cohort)
    n_pos = sum(1 for e in examples if e[2])
    print(f"Tagger: {'semantic' if base.uses_semantic else 'lexical'}"
          + (" (fusion retrained without the scored apprentices)" if fold is not None else ""))
    print(f"Decisions simulated for {args.teacher}: {n_pos} confirmed and {len(examples) - n_pos} rejected example sentences")
    print(f"Scored on the other {len(others)} pieces:")
    for k in ("precision", "recall", "f1", "recall_at_5"):
        print(f"  {k:<12} without {before[k]:.3f}  with {after[k]:.3f}  lift {after[k] - before[k]:+.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
