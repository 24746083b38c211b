"""Lift from learning from tutor decisions, measured on a labelled cohort.

    python bench/learning_lift.py [--cohort ../shared/dev-cohort] [--teacher apr-d01[,apr-d02...]] [--lexical]
    python bench/learning_lift.py --cohort ../shared/dev-cohort-2 --teacher apr-e01,apr-e02 --out-of-fold
    python bench/learning_lift.py --cohort bench/data/blind-2 --teacher bl2-f1,bl2-f2
    python bench/learning_lift.py --cohort bench/data/blind-2 --within
    python bench/learning_lift.py --cohort bench/data/blind --forced-bar 0.3

``--cohort`` is a cohort (``<id>/portfolio/<file>``) or a blind set (``<id>/<file>``): on a
blind set the shipped model never saw any of the pieces, so the lift is out of sample as it is.

The tutor's decisions are simulated from labels.csv for the "teachers" (one or more
apprentices, comma-separated): each listed suggestion of a primary label is confirmed, each
accepted one that is neither primary nor secondary is rejected, each primary label not listed is
added by hand; the rest are left undecided. ``--within`` has no teachers: the first half of
every apprentice's pieces (labels.csv order) is reviewed and the second halves are scored, as a
tutor half-way through a cohort. Learning from decisions does two things (Workbench._learn),
scored apart and together on the other pieces: the confirmed sentences become exemplars
("examples"), and the acceptance bar is learned from the decisions (tagging/calibration.py:
from 2 or more apprentices, kept unless it beats the shipped one in 90% of resamples).
Printed: micro P/R/F1 of accepted suggestions and recall@5, without and with each.
``--forced-bar T`` simulates no decisions: every piece is scored at the shipped bar and at T, with
coverage over every portfolio, to see what a bar costs on a cohort where it was not learned.

The default semantic tagger runs with its shipped model, right for a blind set; on a dev
cohort the shipped model was trained on every piece, so its figures are in-sample and leave
almost nothing to learn. ``--out-of-fold`` (needs the ``train`` extra) tags each apprentice's
pieces, teachers' and scored ones alike, with the model retrained without that apprentice, so
no piece is tagged by a model that saw it. ``--lexical``: ST0071's older lexicon tagger (no
learned bar: it keeps its own).
"""
from __future__ import annotations

import argparse
import csv
import dataclasses
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from portfolio_check.parse import parse_file  # noqa: E402
from portfolio_check.standards import load_standard  # noqa: E402
from portfolio_check.tagging import TaggingConfig  # noqa: E402
from portfolio_check.tagging.calibration import choose_threshold, decided_piece  # noqa: E402
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


class Lab:
    """Tags labelled rows with a given learning state, each apprentice with its own model when
    out of fold, each file parsed once and tagged once per learning state."""

    def __init__(self, standard, semantic: bool, cohort: Path, fold_pieces=None):
        self.standard, self.semantic, self.cohort = standard, semantic, cohort
        self.fold_pieces = fold_pieces
        self._docs: dict[Path, object] = {}
        self._folds: dict[str, object] = {}
        self._engines: dict[tuple, TaggingEngine] = {}
        self._results: dict[tuple, object] = {}     # (file, apprentice, config): counts and coverage read the same

    def engine(self, apprentice: str, config: TaggingConfig) -> TaggingEngine:
        key = (apprentice if self.fold_pieces is not None else "", config)
        if key not in self._engines:
            engine = TaggingEngine(self.standard, config)
            if self.fold_pieces is not None:
                if apprentice not in self._folds:
                    import train_tagger as tt
                    self._folds[apprentice] = tt.fold_model(self.fold_pieces, engine, {apprentice})
                engine._model = self._folds[apprentice]
            self._engines[key] = engine
        return self._engines[key]

    def tag(self, row: dict, config: TaggingConfig):
        path = piece_path(self.cohort, row)
        key = (path, row["apprentice_id"], config)
        if key not in self._results:
            if path not in self._docs:
                self._docs[path] = parse_file(path)
            engine = self.engine(row["apprentice_id"], config)
            self._results[key] = engine.tag_document(self._docs[path], "portfolio", row["file"])
        return self._results[key]


NON_EVIDENCE_FLAGS = {"not_apprentice_work", "out_of_scope"}


def evidences_nothing(row: dict) -> bool:
    """A certificate, a policy or an out-of-scope piece with no primary code (as tagging_blind.py)."""
    return not row["primary_ksbs"].strip() and (row["evidence_type"] == "training_certificate"
                                                or bool(NON_EVIDENCE_FLAGS & set(row["flags"].split())))


def counts(lab: Lab, config: TaggingConfig, rows, scope: set[str]) -> list[int]:
    """tp, fp, fn, labels in the top 5, labels, pieces that evidence nothing with anything
    accepted: micro counts over ``rows`` (KSBs in ``scope``)."""
    tp = fp = fn = hit5 = total = nonev = 0
    for r in rows:
        res = lab.tag(r, config)
        primary, secondary = set(r["primary_ksbs"].split()) & scope, set(r["secondary_ksbs"].split())
        acc = set(res.accepted) & scope
        tp += len(acc & primary)
        fp += len(acc - primary - secondary)
        fn += len(primary - acc)
        hit5 += len(primary & set([s.ksb for s in res.suggestions if s.ksb in scope][:5]))
        total += len(primary)
        nonev += bool(acc) and evidences_nothing(r)
    return [tp, fp, fn, hit5, total, nonev]


def coverage(lab: Lab, config: TaggingConfig, rows) -> tuple[int, int, int, int]:
    """As a scan decides coverage, over whole portfolios: (labelled PD KSBs no accepted suggestion
    covers, apprentices with none such, apprentices, PD KSBs covered that no piece of the
    apprentice is labelled with)."""
    pd = set(lab.standard.portfolio_ksbs)
    labelled: dict[str, set[str]] = {}
    covered: dict[str, set[str]] = {}
    for r in rows:
        labelled.setdefault(r["apprentice_id"], set()).update(k for k in r["primary_ksbs"].split() if k in pd)
        covered.setdefault(r["apprentice_id"], set()).update(k for k in lab.tag(r, config).accepted if k in pd)
    missed = {a: labelled[a] - covered[a] for a in labelled}
    return (sum(map(len, missed.values())), sum(1 for m in missed.values() if not m), len(labelled),
            sum(len(covered[a] - labelled[a]) for a in labelled))


def figures(c: list[int]) -> dict[str, float]:
    tp, fp, fn, hit5, total, nonev = c
    p = tp / (tp + fp) if tp + fp else 0
    rc = tp / (tp + fn) if tp + fn else 0
    return {"precision": p, "recall": rc, "f1": 2 * p * rc / (p + rc) if p + rc else 0,
            "recall_at_5": hit5 / total if total else 0, "non_evidence_accepted": nonev}


def decisions(lab: Lab, config: TaggingConfig, rows, scope: set[str]):
    """The tutor's decisions on ``rows``, simulated from their labels, as Workbench._learn reads
    them: (example sentences, decided pieces for the acceptance bar)."""
    examples, pieces = [], []
    for r in rows:
        res = lab.tag(r, config)
        primary, secondary = set(r["primary_ksbs"].split()) & scope, set(r["secondary_ksbs"].split())
        listed = [s for s in res.suggestions if s.ksb in scope]     # unlabelled KSBs: no decision to simulate
        decided: dict[str, bool] = {}
        for s in listed:
            if s.ksb in primary:
                decided[s.ksb] = True
            elif s.accepted and s.ksb not in secondary:
                decided[s.ksb] = False
        examples += [(s.ksb, q.sentence, decided[s.ksb]) for s in listed if s.ksb in decided for q in s.quotes]
        decided.update({k: True for k in primary - {s.ksb for s in listed}})       # added by hand
        if decided:
            pieces.append(decided_piece(r["apprentice_id"], listed, decided))
    return tuple(examples), pieces


def run(lab: Lab, taught, scored, scope: set[str], label: str, whole_portfolios: bool = True) -> int:
    base = TaggingConfig(semantic=lab.semantic)
    examples, pieces = decisions(lab, base, taught, scope)
    shipped = lab.engine(taught[0]["apprentice_id"], base).acceptance_threshold
    bar = choose_threshold(pieces, shipped) if lab.semantic else None
    learned_bar = bar.threshold if bar is not None and bar.learned else None
    variants = {"without": base,
                "examples": dataclasses.replace(base, learned=examples),
                "bar": dataclasses.replace(base, learned_threshold=learned_bar),
                "both": dataclasses.replace(base, learned=examples, learned_threshold=learned_bar)}
    if bar is None:
        del variants["bar"], variants["both"]
    n_pos = sum(1 for e in examples if e[2])
    print(f"Tagger: {'semantic' if lab.semantic else 'lexical'}"
          + (" (each apprentice tagged by the fusion retrained without them)" if lab.fold_pieces is not None else ""))
    print(f"Decisions simulated for {label}: {n_pos} confirmed and {len(examples) - n_pos} rejected example "
          f"sentences on {len(pieces)} decided pieces")
    if bar is not None:
        print(f"  {bar.describe()}")
    figs = {name: figures(counts(lab, cfg, scored, scope)) for name, cfg in variants.items()}
    print(f"Scored on {len(scored)} other pieces ({sum(len(set(r['primary_ksbs'].split()) & scope) for r in scored)} labels):")
    print(f"  {'':<12}" + "".join(f"{name:>10}" for name in figs) + "   lift (examples, bar, both)")
    for k in ("precision", "recall", "f1", "recall_at_5"):
        lifts = [figs[n][k] - figs["without"][k] for n in figs if n != "without"]
        print(f"  {k:<12}" + "".join(f"{figs[n][k]:>10.3f}" for n in figs) + "   "
              + ", ".join(f"{x:+.3f}" for x in lifts))
    if whole_portfolios:
        cover = {name: coverage(lab, cfg, scored) for name, cfg in variants.items()}
        print("  coverage of the scored apprentices' labelled PD KSBs (wrongly uncovered / apprentices fully "
              "covered / covered but labelled on no piece): "
              + "; ".join(f"{n} {c[0]} / {c[1]} of {c[2]} / {c[3]}" for n, c in cover.items()))
    n_nonev = sum(evidences_nothing(r) for r in scored)
    print(f"  pieces that evidence nothing with anything accepted (of {n_nonev}): "
          + ", ".join(f"{n} {figs[n]['non_evidence_accepted']}" for n in figs))
    return 0


def forced(lab: Lab, rows, scope: set[str], bar: float) -> int:
    """No decisions: every piece scored at the shipped bar and at ``bar``, as if a cohort's
    decisions had set it, with coverage over every portfolio: what a bar costs where it was not
    learned (false coverage needs apprentices who leave PD KSBs unlabelled)."""
    base = TaggingConfig(semantic=lab.semantic)
    variants = {"shipped": base, f"bar {bar:.2f}": dataclasses.replace(base, learned_threshold=bar)}
    print(f"Every piece of {lab.cohort} ({len(rows)}), at the shipped bar and at {bar:.2f}"
          + (" (each apprentice tagged by the fusion retrained without them)" if lab.fold_pieces is not None else ""))
    for name, cfg in variants.items():
        f = figures(counts(lab, cfg, rows, scope))
        c = coverage(lab, cfg, rows)
        print(f"  {name:<10} P {f['precision']:.3f} R {f['recall']:.3f} F1 {f['f1']:.3f}; labelled PD KSBs wrongly "
              f"uncovered {c[0]}, apprentices fully covered {c[1]} of {c[2]}, PD KSBs covered that no piece of the "
              f"apprentice is labelled with {c[3]}; pieces that evidence nothing with anything accepted "
              f"{f['non_evidence_accepted']} of {sum(evidences_nothing(r) for r in rows)}")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cohort", default=str(REPO.parent / "shared" / "dev-cohort"))
    ap.add_argument("--teacher", default="apr-d01", help="the apprentice(s) whose decisions are simulated, comma-separated")
    ap.add_argument("--semantic", action="store_true", help="the default; kept for old command lines")
    ap.add_argument("--lexical", action="store_true", help="with ST0071's older lexicon tagger instead")
    ap.add_argument("--out-of-fold", action="store_true",
                    help="semantic, each apprentice tagged by the fusion retrained without them")
    ap.add_argument("--vec-cache", default=None, help="bench speed-up for --out-of-fold (see train_tagger.py)")
    ap.add_argument("--forced-bar", type=float, default=None, metavar="T",
                    help="no decisions: every piece at the shipped bar and at T (what a learned bar costs elsewhere)")
    ap.add_argument("--within", action="store_true",
                    help="no teachers: the first half of every apprentice's pieces reviewed, the second halves scored")
    args = ap.parse_args()
    if args.lexical and args.out_of_fold:
        ap.error("--out-of-fold retrains the semantic tagger's fusion: leave out --lexical")
    cohort = Path(args.cohort)
    rows = list(csv.DictReader(open(cohort / "labels.csv", encoding="utf-8")))
    st = load_standard("ST0071")
    semantic = not args.lexical
    fold_pieces = None
    if args.out_of_fold:
        sys.path.insert(0, str(REPO / "bench"))
        import train_tagger as tt
        tt.vec_cache(args.vec_cache)
        fold_pieces = tt.load_pieces(TaggingEngine(st, TaggingConfig(semantic=True)))
        tt.vec_cache(args.vec_cache, save=True)
    lab = Lab(st, semantic, cohort, fold_pieces)
    scope = labelled_scope(rows, st)
    if args.forced_bar is not None:
        if lab.semantic is False:
            ap.error("--forced-bar sets the semantic tagger's bar: leave out --lexical")
        return forced(lab, rows, scope, args.forced_bar)
    if args.within:
        taught, scored = [], []
        for app in sorted({r["apprentice_id"] for r in rows}):
            mine = [r for r in rows if r["apprentice_id"] == app]
            taught += mine[:len(mine) // 2]
            scored += mine[len(mine) // 2:]
        return run(lab, taught, scored, scope, "the first half of every apprentice's pieces", whole_portfolios=False)
    teachers = set(args.teacher.split(","))
    unknown = teachers - {r["apprentice_id"] for r in rows}
    if unknown:
        ap.error(f"no such apprentice in {cohort}/labels.csv: {', '.join(sorted(unknown))}")
    return run(lab, [r for r in rows if r["apprentice_id"] in teachers],
               [r for r in rows if r["apprentice_id"] not in teachers], scope, ", ".join(sorted(teachers)))


if __name__ == "__main__":
    sys.exit(main())
