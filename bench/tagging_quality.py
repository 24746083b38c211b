"""Quality harness for the KSB tagger.

    python bench/tagging_quality.py [--cohort ../shared/dev-cohort] [--reports ../shared/dev-reports]
                                    [--threshold 0.5] [--semantic] [--json out.json]

On a labelled cohort (labels.csv: apprentice_id, file, primary_ksbs, secondary_ksbs, notes):
micro precision, recall and F1 of *accepted* suggestions against primary labels (secondary
labels count as neither right nor wrong), recall@5, per-KSB precision and recall, and a
calibration table (score band -> share of suggestions that are right). On a report set
(sections.csv + truth.csv): per-section recall/precision and the missing-KSB check. Also
prints pieces per second and words per second (tagging only, parsing timed apart).
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

BANDS = [(0.0, 0.3), (0.3, 0.4), (0.4, 0.5), (0.5, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.01)]


def _mis_cited(notes: str) -> set[str]:
    """Codes the labels' notes call mis-mapped, e.g. 'K5 is MIS-MAPPED' / 'S8 is MIS-MAPPED'."""
    return set(re.findall(r"\b([KSB]\d{1,2}) is MIS-MAPPED", notes)) | set(
        re.findall(r"Cites ([KSB]\d{1,2}) - MIS-MAPPED", notes))


def evaluate_cohort(cohort: Path, engine: TaggingEngine) -> dict:
    rows = list(csv.DictReader(open(cohort / "labels.csv", encoding="utf-8")))
    tp = fp = fn = 0
    hit5 = total_primary = 0
    per = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0})
    bands = defaultdict(lambda: [0, 0])
    miscite_failures = []
    parse_s = tag_s = 0.0
    words = 0
    details = []
    for r in rows:
        path = cohort / r["apprentice_id"] / "portfolio" / r["file"]
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
        accepted = set(result.accepted)
        ranked = [s.ksb for s in result.suggestions]
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
            if s.ksb in secondary:
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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cohort", default=str(REPO.parent / "shared" / "dev-cohort"))
    ap.add_argument("--reports", default=str(REPO.parent / "shared" / "dev-reports"))
    ap.add_argument("--threshold", type=float, default=None)
    ap.add_argument("--json", default=None, help="also write all figures to this JSON file")
    ap.add_argument("--details", action="store_true", help="print per-piece results")
    args = ap.parse_args()
    standard = load_standard("ST0071")
    config = TaggingConfig() if args.threshold is None else TaggingConfig(threshold=args.threshold)
    engine = TaggingEngine(standard, config)
    engine.tag_blocks([])  # warm up the pipeline outside the timings
    res = evaluate_cohort(Path(args.cohort), engine)
    print(f"Cohort {args.cohort}: {res['pieces']} pieces, threshold {config.threshold}")
    print(f"  micro precision {res['precision']:.3f}  recall {res['recall']:.3f}  F1 {res['f1']:.3f}")
    print(f"  recall@5 {res['recall_at_5']:.3f}   evidence-type accuracy {res['type_accuracy']:.3f}")
    print(f"  mis-cited codes credited: {res['miscite_credited'] or 'none'}")
    print(f"  speed (tagging only, 1 process): {res['pieces_per_s_tagging']:.1f} pieces/s, "
          f"{res['words_per_s_tagging']:,.0f} words/s = {res['words_per_s_tagging'] / 600:.1f} pieces of 600 words/s")
    print("  per KSB (precision / recall, tp fp fn):")
    for k in sorted(res["per_ksb"], key=lambda c: ("KSB".index(c[0]), int(c[1:]))):
        v = res["per_ksb"][k]
        p = v["tp"] / (v["tp"] + v["fp"]) if v["tp"] + v["fp"] else float("nan")
        r = v["tp"] / (v["tp"] + v["fn"]) if v["tp"] + v["fn"] else float("nan")
        print(f"    {k:<4} {p:5.2f} / {r:5.2f}   {v['tp']:2d} {v['fp']:2d} {v['fn']:2d}")
    print("  calibration (score band: suggestions, share right):")
    for band, (n, right) in res["calibration"].items():
        print(f"    {band}: {n:3d}  {right / n if n else 0:.2f}")
    if args.details:
        for d in res["details"]:
            miss = sorted(set(d["primary"]) - set(d["accepted"]))
            extra = sorted(set(d["accepted"]) - set(d["primary"]))
            print(f"    {d['file'][:48]:<48} type={d['type']:<26}({d['label_type']}) miss={miss} extra={extra} top5={d['top5']}")
    rep = evaluate_reports(Path(args.reports), engine, standard)
    print(f"Reports {args.reports}: section precision {rep['section_precision']:.3f}, recall {rep['section_recall']:.3f}")
    for f, v in rep["files"].items():
        print(f"  {f}: missing expected {v['missing_expected']} reported {v['missing_reported']} -> {'OK' if v['ok'] else 'WRONG'}")
    if args.json:
        Path(args.json).write_text(json.dumps({"cohort": res, "reports": rep}, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
