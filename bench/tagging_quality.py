"""Quality harness for the KSB tagger: leave-one-apprentice-out figures over both dev cohorts.

    python bench/tagging_quality.py [--json out.json] [--details] [--vec-cache /tmp/vecs.npz]

Default run (the acceptance figures): the 9 dev apprentices (../shared/dev-cohort d01-d03 and
../shared/dev-cohort-2 e01-e06), leave-one-apprentice-out with NESTED selection: for each held-
out apprentice the fusion's regularisation and threshold are chosen by LOAO over the other
eight, the model is fitted on them (exemplars from them only) and the held-out pieces are
scored. dev-cohort labels only the professional-discussion KSBs consistently, so its pieces are
scored on PD KSBs only; dev-cohort-2 on all 47. Secondary labels count as neither right nor
wrong. Printed: micro precision/recall/F1 of accepted suggestions and recall@5, for all KSBs
and for PD KSBs apart; a per-KSB table; a calibration table (score band -> share right); the
OLD lexical tagger (its shipped 0.70 threshold, 0.6 off-method prior) on the same rows; pieces
that evidence nothing (certificates, policies, out of scope) with anything accepted; mis-cited
codes credited. Then the report-section check on ../shared/dev-reports.

``evaluate_cohort(cohort, engine)`` scores the SHIPPED engine on one cohort (in-sample for the
dev cohorts, so optimistic); tests/test_tagging_quality.py uses it.
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from portfolio_check.parse import parse_file  # noqa: E402
from portfolio_check.standards import load_standard  # noqa: E402
from portfolio_check.tagging import TaggingConfig, TaggingEngine  # noqa: E402
from portfolio_check.wordcount import count_words, split_report  # noqa: E402
import train_tagger  # noqa: E402

BANDS = [(0.0, 0.3), (0.3, 0.4), (0.4, 0.5), (0.5, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.01)]


def _mis_cited(notes: str) -> set[str]:
    """Codes the labels' notes call mis-mapped, e.g. 'K5 is MIS-MAPPED' / 'S8 is MIS-MAPPED'."""
    return set(re.findall(r"\b([KSB]\d{1,2}) is MIS-MAPPED", notes)) | set(
        re.findall(r"Cites ([KSB]\d{1,2}) - MIS-MAPPED", notes))


def evaluate_cohort(cohort: Path, engine: TaggingEngine, pd_only: bool | None = None, flat: bool = False) -> dict:
    """The shipped engine on one cohort. ``pd_only`` (default: for ../shared/dev-cohort, whose
    non-PD KSBs are not labelled) leaves other KSBs out of the scoring and the ranking.
    ``flat``: files sit in ``<cohort>/<apprentice>/`` (bench/data layout), not in its portfolio/."""
    rows = list(csv.DictReader(open(cohort / "labels.csv", encoding="utf-8")))
    if pd_only is None:
        pd_only = cohort.name in train_tagger.PD_ONLY_COHORTS
    in_scope = (lambda k: k in set(engine.standard.portfolio_ksbs)) if pd_only else (lambda k: True)
    tp = fp = fn = 0
    hit5 = total_primary = 0
    per = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0})
    bands = defaultdict(lambda: [0, 0])
    miscite_failures = []
    parse_s = tag_s = 0.0
    words = 0
    details = []
    for r in rows:
        path = cohort / r["apprentice_id"] / ("" if flat else "portfolio") / r["file"]
        t0 = time.perf_counter()
        doc = parse_file(path)
        t1 = time.perf_counter()
        result = engine.tag_document(doc, "portfolio", r["file"])
        t2 = time.perf_counter()
        parse_s += t1 - t0
        tag_s += t2 - t1
        words += count_words(doc.text())
        primary = set(r["primary_ksbs"].split())
        secondary = set(r["secondary_ksbs"].split())
        accepted = {k for k in result.accepted if in_scope(k)}
        ranked = [s.ksb for s in result.suggestions if in_scope(s.ksb)]
        for k in accepted:
            if k in primary:
                tp += 1
                per[k]["tp"] += 1
            elif k not in secondary:
                fp += 1
                per[k]["fp"] += 1
        for k in primary - accepted:
            fn += 1
            per[k]["fn"] += 1
        total_primary += len(primary)
        hit5 += len(primary & set(ranked[:5]))
        for s in result.suggestions:
            if s.ksb in secondary or not in_scope(s.ksb):
                continue
            for lo, hi in BANDS:
                if lo <= s.score < hi:
                    bands[(lo, hi)][0] += 1
                    bands[(lo, hi)][1] += s.ksb in primary
        for code in _mis_cited(r["notes"]):
            if code in accepted:
                miscite_failures.append(f"{r['file']}: {code}")
        details.append({"file": r["file"], "type": result.evidence_type.type, "label_type": r["evidence_type"],
                        "primary": sorted(primary), "accepted": sorted(accepted),
                        "top5": [(s.ksb, round(s.score, 2)) for s in result.suggestions[:5]],
                        "cited_not_evidenced": list(result.cited_not_evidenced)})
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    type_right = sum(d["type"] == d["label_type"] for d in details)
    return {"pieces": len(rows), "precision": precision, "recall": recall, "f1": f1,
            "recall_at_5": hit5 / total_primary if total_primary else 0.0,
            "per_ksb": dict(per), "calibration": {f"{lo:.1f}-{min(hi, 1.0):.1f}": v for (lo, hi), v in sorted(bands.items())},
            "miscite_credited": miscite_failures, "type_accuracy": type_right / len(rows),
            "pieces_per_s_tagging": len(rows) / tag_s, "words_per_s_tagging": words / tag_s,
            "parse_s": parse_s, "tag_s": tag_s, "words": words, "details": details}


def evaluate_reports(reports: Path, engine: TaggingEngine, standard) -> dict:
    from portfolio_check.report_check import tag_report_sections
    truth = {r["file"]: r for r in csv.DictReader(open(reports / "truth.csv", encoding="utf-8"))}
    sections = defaultdict(list)
    for r in csv.DictReader(open(reports / "sections.csv", encoding="utf-8")):
        sections[r["file"]].append(r)
    out = {}
    tp = fp = fn = 0
    for file, rows in sections.items():
        doc = parse_file(reports / file)
        parts = split_report(doc)
        tagged_sections, tagged_missing = tag_report_sections(parts, engine, standard)
        got = {s.heading: s.to_dict() for s in tagged_sections}
        for row in rows:
            sec = got.get(row["section"])
            accepted = {x["ksb"] for x in sec["suggestions"] if x["accepted"]} if sec else set()
            wbp = set(standard.ksbs_for_method(standard.report_method)) and {k.code for k in standard.ksbs_for_method(standard.report_method)}
            accepted &= wbp
            labels = set(row["ksbs"].split())
            tp += len(accepted & labels)
            fp += len(accepted - labels)
            fn += len(labels - accepted)
        want_missing = set(truth[file]["wbp_ksbs_missing"].split())
        got_missing = set(tagged_missing)
        out[file] = {"missing_expected": sorted(want_missing), "missing_reported": sorted(got_missing),
                     "ok": want_missing <= got_missing and not (got_missing & set(truth[file]["wbp_ksbs_covered"].split()))}
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"files": out, "section_precision": p, "section_recall": r}


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


top5_share = train_tagger.top5_share   # one tie rule for the outer and the inner figure


def score_rows(pieces, codes, score_of, accepted_of, keep, shown=None) -> dict:
    """Micro P/R/F1, recall@5, per-KSB counts and calibration over in-scope, non-secondary rows.
    ``keep(code)`` restricts to a KSB subset (e.g. PD); ranking for recall@5 is among the KSBs
    in scope of the piece (PD only on dev-cohort) and ``keep``. ``shown(i, code)``, where given,
    says whether the tagger lists that KSB at all (TaggingConfig.show_floor): "recall@5 shown"
    counts a label in the top 5 only when a tutor would see it."""
    tp = fp = fn = hit5 = hit5_shown = total = 0
    per = defaultdict(lambda: [0, 0, 0])
    bands = defaultdict(lambda: [0, 0])
    for i, p in enumerate(pieces):
        scope = [c for k, c in enumerate(codes) if p.scope[k] and keep(c)]
        acc = accepted_of(i)
        for c in scope:
            if c in p.secondary:
                continue
            right = c in p.primary
            if c in acc:
                tp += right
                fp += not right
                per[c][0 if right else 1] += 1
            elif right:
                fn += 1
                per[c][2] += 1
            sc = score_of(i, c)
            for lo, hi in BANDS:
                if lo <= sc < hi:
                    bands[(lo, hi)][0] += 1
                    bands[(lo, hi)][1] += right
        prim = [c for c in scope if c in p.primary]
        total += len(prim)
        scores = [score_of(i, c) for c in scope]
        for c in prim:
            got = top5_share(score_of(i, c), scores)
            hit5 += got
            if shown is None or shown(i, c):
                hit5_shown += got
    P, R, F = _prf(tp, fp, fn)
    return {"precision": P, "recall": R, "f1": F, "recall_at_5": hit5 / total if total else 0.0,
            "recall_at_5_shown": hit5_shown / total if total else 0.0,
            "tp": tp, "fp": fp, "fn": fn, "primary": total, "per_ksb": {k: tuple(v) for k, v in per.items()},
            "calibration": {f"{lo:.1f}-{min(hi, 1.0):.1f}": tuple(v) for (lo, hi), v in sorted(bands.items())}}


NON_EVIDENCE_FLAGS = {"not_apprentice_work", "out_of_scope"}


def non_evidence_pieces(pieces) -> list[int]:
    """Pieces that evidence nothing: no primary KSB and a certificate, not the apprentice's
    work, or out of scope (labels.csv)."""
    return [i for i, p in enumerate(pieces) if not p.primary and (
        p.label_type == "training_certificate" or NON_EVIDENCE_FLAGS & set(p.flags.split()))]


def evaluate_loao(engine: TaggingEngine, variant="ST0071", pieces=None, synthetic: bool = True) -> dict:
    """Nested LOAO figures of one variant (a name in train_tagger.VARIANTS or a Variant).
    Training-only (synthetic) pieces join every training fold and are never scored."""
    pieces = pieces if pieces is not None else train_tagger.load_pieces(engine, synthetic=synthetic)
    kv = engine.ksb_vectors
    codes = kv.codes
    v = train_tagger.VARIANTS[variant] if isinstance(variant, str) else variant
    variant = v.name
    nested = v.nested(pieces, kv, engine.standard.portfolio_method)
    training_only = sum(p.train_only for p in pieces)
    n_scored = len(pieces) - training_only
    assert not any(p.train_only for p in pieces[:n_scored]), "scored pieces must come first (score keys are indices)"
    pieces = pieces[:n_scored]
    sc, chosen = nested["scores"], nested["chosen"]
    k_of = {c: k for k, c in enumerate(codes)}
    new_score = lambda i, c: sc[(i, k_of[c])]  # noqa: E731
    new_acc = lambda i: {c for c in codes if sc[(i, k_of[c])] >= chosen[pieces[i].apprentice][1]  # noqa: E731
                         and not _forced_out(pieces[i])}
    old_score = lambda i, c: pieces[i].old.get(c, 0.0)  # noqa: E731
    old_acc = lambda i: pieces[i].old_accepted  # noqa: E731
    pd = set(engine.standard.portfolio_ksbs)
    inner = nested["inner"]
    out = {"variant": variant, "chosen": chosen, "pieces": len(pieces), "training_only_pieces": training_only,
           "apprentices": sorted({p.apprentice for p in pieces}), "inner": inner,
           "inner_f1": sum(f for f, _ in inner.values()) / len(inner),
           "inner_recall_at_5": sum(r for _, r in inner.values()) / len(inner)}
    # what the tagger lists (TaggingConfig): its best show_at_least KSBs, and any other at show_floor or more
    cfg = engine.config
    best = {i: set(sorted(codes, key=lambda c: -new_score(i, c))[:cfg.show_at_least]) for i in range(len(pieces))}
    new_shown = lambda i, c: c in best[i] or new_score(i, c) >= cfg.show_floor  # noqa: E731
    for name, keep in (("all", lambda c: True), ("pd", lambda c: c in pd), ("non_pd", lambda c: c not in pd)):
        out[f"new_{name}"] = score_rows(pieces, codes, new_score, new_acc, keep, new_shown)
        out[f"old_{name}"] = score_rows(pieces, codes, old_score, old_acc, keep)
    nothing = non_evidence_pieces(pieces)
    out["non_evidence"] = {pieces[i].file: sorted(new_acc(i)) for i in nothing}
    out["non_evidence_old"] = {pieces[i].file: sorted(old_acc(i)) for i in nothing}
    out["miscite_credited"] = [f"{p.file}: {c}" for i, p in enumerate(pieces) for c in p.cited_wrong if c in new_acc(i)]
    out["details"] = [{"apprentice": p.apprentice, "file": p.file, "primary": sorted(p.primary),
                       "accepted": sorted(new_acc(i)),
                       "top5": [(c, round(new_score(i, c), 2)) for c in
                                sorted((c for k, c in enumerate(codes) if p.scope[k]), key=lambda c: -new_score(i, c))[:5]]}
                      for i, p in enumerate(pieces)]
    return out


def _forced_out(p) -> bool:
    """The engine never accepts on a certificate or a policy (engine.NON_EVIDENCE_TYPES), nor
    on a piece whose every unit a guard flags; the harness applies the same rule."""
    from portfolio_check.tagging.engine import NON_EVIDENCE_TYPES
    return p.evidence_type in NON_EVIDENCE_TYPES or not any(not u.flagged for u in p.analysis.units)


def _order(c: str) -> tuple[int, int]:
    return ("KSB".index(c[0]), int(c[1:]))


def print_loao(res: dict) -> None:
    print(f"LOAO over {len(res['apprentices'])} dev apprentices ({res['pieces']} pieces), nested: C and threshold "
          f"chosen on the other 8 for each held-out apprentice; model '{res['variant']}'.")
    print("  dev-cohort (d01-d03) is scored on PD KSBs only (its other KSBs are not labelled); dev-cohort-2 on all 47.")
    print(f"  training-only pieces (bench/data/synthetic, in every training fold, never scored): "
          f"{res['training_only_pieces']}")
    print("  chosen (C, threshold) per held-out apprentice: " +
          ", ".join(f"{a}={c}/{t}" for a, (c, t) in res["chosen"].items()))
    print(f"  design-selection figure (inner folds only; the mean over held-out apprentices of the LOAO "
          f"F1 / recall@5 over the other 8 at the chosen C): F1 {res['inner_f1']:.3f} recall@5 "
          f"{res['inner_recall_at_5']:.3f}")
    print(f"  {'':<22}{'precision':>10}{'recall':>8}{'F1':>7}{'recall@5':>10}   (tp fp fn; new tagger: recall@5 "
          f"of the KSBs it lists, show_floor {TaggingConfig().show_floor})")
    for name, label in (("all", "all KSBs"), ("pd", "PD KSBs"), ("non_pd", "non-PD KSBs (cohort 2)")):
        for who in ("new", "old"):
            r = res[f"{who}_{name}"]
            tag = "new semantic" if who == "new" else "old lexical"
            print(f"  {label + ', ' + tag:<36}"[:38].ljust(22) if False else
                  f"  {(label + ' ' + tag):<36}{r['precision']:6.3f}{r['recall']:8.3f}{r['f1']:7.3f}{r['recall_at_5']:10.3f}"
                  f"   ({r['tp']} {r['fp']} {r['fn']})" + (f"  listed {r['recall_at_5_shown']:.3f}" if who == "new" else ""))
    print("  per KSB, new tagger (precision / recall, tp fp fn; all rows):")
    per = res["new_all"]["per_ksb"]
    for k in sorted(per, key=_order):
        tp, fp, fn = per[k]
        p = tp / (tp + fp) if tp + fp else float("nan")
        r = tp / (tp + fn) if tp + fn else float("nan")
        print(f"    {k:<4} {p:5.2f} / {r:5.2f}   {tp:2d} {fp:2d} {fn:2d}")
    print("  calibration, new tagger (score band: rows, share right):")
    for band, (n, right) in res["new_all"]["calibration"].items():
        print(f"    {band}: {n:5d}  {right / n if n else 0:.2f}")
    bad = {f: a for f, a in res["non_evidence"].items() if a}
    print(f"  pieces that evidence nothing ({len(res['non_evidence'])}): accepted on {len(bad)} {bad or ''}")
    print(f"  mis-cited codes credited: {res['miscite_credited'] or 'none'}")
    print("  All figures are on the dev cohorts the tagger was designed with: treat them as optimistic.")
    print("  On writers it never saw it does far worse: python bench/tagging_blind.py (report only).")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", default=str(REPO.parent / "shared" / "dev-reports"))
    ap.add_argument("--variant", default="ST0071", choices=sorted(train_tagger.VARIANTS),
                    help="ST0071: exemplars + lexicon; generic: only what any standard file gives")
    ap.add_argument("--json", default=None, help="also write all figures to this JSON file")
    ap.add_argument("--details", action="store_true", help="print per-piece results")
    ap.add_argument("--vec-cache", default=None, help="bench speed-up: keep sentence vectors in this .npz")
    ap.add_argument("--no-synthetic", action="store_true",
                    help="train on the dev cohorts only (leave bench/data/synthetic out), for comparison")
    args = ap.parse_args()
    train_tagger.vec_cache(args.vec_cache)
    standard = load_standard("ST0071")
    engine = TaggingEngine(standard)
    res = evaluate_loao(TaggingEngine(standard, TaggingConfig(semantic=True)), args.variant,
                        synthetic=not args.no_synthetic)
    train_tagger.vec_cache(args.vec_cache, save=True)
    print_loao(res)
    if args.details:
        for d in res["details"]:
            miss = sorted(set(d["primary"]) - set(d["accepted"]))
            extra = sorted(set(d["accepted"]) - set(d["primary"]))
            print(f"    {d['apprentice']} {d['file'][:44]:<44} miss={miss} extra={extra} top5={d['top5']}")
    rep = evaluate_reports(Path(args.reports), engine, standard)
    print(f"Reports {args.reports}: section precision {rep['section_precision']:.3f}, recall {rep['section_recall']:.3f}")
    for f, v in rep["files"].items():
        print(f"  {f}: missing expected {v['missing_expected']} reported {v['missing_reported']} -> {'OK' if v['ok'] else 'WRONG'}")
    if args.json:
        Path(args.json).write_text(json.dumps({"loao": res, "reports": rep}, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
