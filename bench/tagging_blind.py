"""The shipped tagger on held-out text it was never trained or tuned on: bench/data/blind*.

    python bench/tagging_blind.py [--details]

Why: every figure on the dev cohorts is optimistic, because the tagger's design was chosen
while looking at them. bench/data/blind (27 pieces, 3 sectors) and bench/data/blind-2 (72
pieces, 6 more sectors) hold pieces written for this project in sectors that neither the dev
cohorts nor the synthetic training text use (their README.md files), labelled by
LABELLING.md's rules. No weight, threshold or design decision may be taken from this script's
output: it is run to report, after a design is fixed.

``--generic``: only the semantic tagger, with the generic model in place of ST0071's own (what
any standard without a trained model gets), on ST0071's KSBs; ``--no-observation-signal`` also
hides ST0071's observation method from it, as for a standard without one.

Printed per tagger (the older lexical one and the semantic one, the default), for each set and
for both together: micro precision, recall, F1 of accepted suggestions and recall@5, for all
KSBs, PD KSBs and non-PD KSBs; the pieces that evidence nothing (no primary code;
certificate, policy or out of scope) with anything accepted; the apprentices whose every
labelled PD KSB an accepted suggestion covers (a scan would call the others uncovered); and,
for those uncovered KSBs, how often the PC401 finding's "closest suggestions, not accepted" (up
to three pieces) name a piece labelled with the KSB, and how often its first-named piece is one.
"""
from __future__ import annotations

import argparse
import csv
import dataclasses
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from portfolio_check.checks.gateway import HINT_PIECES, nearest_misses  # noqa: E402
from portfolio_check.parse import parse_file  # noqa: E402
from portfolio_check.standards import load_standard  # noqa: E402
from portfolio_check.tagging import TaggingConfig, TaggingEngine  # noqa: E402

BLIND = REPO / "bench" / "data" / "blind"
BLIND_SETS = (BLIND, REPO / "bench" / "data" / "blind-2")
NON_EVIDENCE_FLAGS = {"not_apprentice_work", "out_of_scope"}


def evaluate(engine: TaggingEngine, root: Path = BLIND) -> dict:
    """Micro figures of ``engine`` on ``root``/labels.csv (files in ``root/<apprentice_id>/``)."""
    pd = set(engine.standard.portfolio_ksbs)
    subsets = {"all": lambda c: True, "pd": lambda c: c in pd, "non_pd": lambda c: c not in pd}
    counts = {name: [0, 0, 0, 0, 0] for name in subsets}     # tp fp fn hit5 primary
    non_evidence: dict[str, list[str]] = {}
    details = []
    near: dict[str, list[tuple[str, str, float]]] = {}          # apprentice -> (KSB, file, score) not accepted, listed
    primary_of: dict[tuple[str, str], set[str]] = {}
    rows = list(csv.DictReader(open(root / "labels.csv", encoding="utf-8")))
    for r in rows:
        doc = parse_file(root / r["apprentice_id"] / r["file"])
        result = engine.tag_document(doc, "portfolio", r["file"])
        primary = set(r["primary_ksbs"].split())
        secondary = set(r["secondary_ksbs"].split())
        accepted = set(result.accepted)
        primary_of[(r["apprentice_id"], r["file"])] = primary
        for sug in result.suggestions:      # as scan._decide picks PC401's "closest suggestions, not accepted"
            if sug.ksb in pd and not sug.accepted and sug.score >= engine.config.show_floor:
                near.setdefault(r["apprentice_id"], []).append((sug.ksb, r["file"], sug.score))
        ranked = [s.ksb for s in result.suggestions]
        for name, keep in subsets.items():
            c = counts[name]
            prim = {k for k in primary if keep(k)}
            acc = {k for k in accepted if keep(k)}
            c[0] += len(acc & prim)
            c[1] += len(acc - prim - secondary)
            c[2] += len(prim - acc)
            c[3] += len(prim & set([k for k in ranked if keep(k)][:5]))
            c[4] += len(prim)
        if not primary and (r["evidence_type"] == "training_certificate" or NON_EVIDENCE_FLAGS & set(r["flags"].split())):
            non_evidence[f"{r['apprentice_id']}/{r['file']}"] = sorted(accepted)
        details.append((r["apprentice_id"], r["file"], sorted(primary), sorted(accepted), ranked[:5]))
    # Coverage as a scan decides it: a PD KSB an apprentice labelled somewhere, covered when an
    # accepted suggestion on any of their pieces names it (what PC401 would call uncovered).
    labelled: dict[str, set[str]] = {}
    covered: dict[str, set[str]] = {}
    for app, _, prim, acc, _ in details:
        labelled.setdefault(app, set()).update(k for k in prim if k in pd)
        covered.setdefault(app, set()).update(k for k in acc if k in pd)
    uncovered = {app: sorted(labelled[app] - covered[app], key=engine.standard.portfolio_ksbs.index)
                 for app in sorted(labelled)}
    # For each uncovered KSB: does PC401's hint name a piece labelled with it (one confirmation fixes it)?
    named = {app: nearest_misses(c) for app, c in near.items()}
    hints = [(app, k, [f for f, _ in named.get(app, {}).get(k, ())]) for app, codes in uncovered.items() for k in codes]
    hints_first = sum(1 for app, k, files in hints if files and k in primary_of[(app, files[0])])
    hints_right = sum(1 for app, k, files in hints if any(k in primary_of[(app, f)] for f in files))
    out = {"pieces": len(rows), "non_evidence": non_evidence, "details": details, "counts": counts,
           "uncovered": uncovered, "hints": (hints_right, hints_first, len(hints))}
    out.update(_figures(counts))
    return out


def _figures(counts: dict[str, list[int]]) -> dict:
    out = {}
    for name, (tp, fp, fn, hit5, total) in counts.items():
        p = tp / (tp + fp) if tp + fp else 0.0
        rc = tp / (tp + fn) if tp + fn else 0.0
        out[name] = {"precision": p, "recall": rc, "f1": 2 * p * rc / (p + rc) if p + rc else 0.0,
                     "recall_at_5": hit5 / total if total else 0.0, "tp": tp, "fp": fp, "fn": fn}
    return out


def _print(label: str, res: dict, details: bool) -> None:
    print(f"{label} ({res['pieces']} pieces, never trained or tuned on):")
    for subset, name in (("all", "all KSBs"), ("pd", "PD KSBs"), ("non_pd", "non-PD KSBs")):
        r = res[subset]
        print(f"  {name:<12} P {r['precision']:.3f} R {r['recall']:.3f} F1 {r['f1']:.3f} "
              f"recall@5 {r['recall_at_5']:.3f}   (tp {r['tp']} fp {r['fp']} fn {r['fn']})")
    bad = {f: a for f, a in res["non_evidence"].items() if a}
    print(f"  pieces that evidence nothing ({len(res['non_evidence'])}): accepted on {len(bad)} {bad or ''}")
    if "uncovered" in res:
        told = {app: codes for app, codes in res["uncovered"].items() if codes}
        print(f"  apprentices with every labelled PD KSB covered by an accepted suggestion: "
              f"{len(res['uncovered']) - len(told)} of {len(res['uncovered'])}"
              + "".join(f"; {app} uncovered {' '.join(codes)}" for app, codes in told.items()))
        right, first, total = res["hints"]
        print(f"  uncovered labelled PD KSBs whose PC401 hint (closest suggestions, not accepted; up to "
              f"{HINT_PIECES} pieces) names a piece labelled with it: {right} of {total} (its first-named piece: {first})")
    if details:
        for app, file, prim, acc, top5 in res["details"]:
            print(f"    {app} {file[:40]:<40} primary={prim} accepted={acc} top5={top5}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--details", action="store_true", help="print per-piece results")
    ap.add_argument("--generic", action="store_true",
                    help="the semantic tagger with the generic model (what a standard without its own model gets)")
    ap.add_argument("--no-observation-signal", action="store_true",
                    help="with --generic: as for a standard without an observation method (OBSERVED_FEATURES held at 0)")
    args = ap.parse_args()
    if args.no_observation_signal and not args.generic:
        ap.error("--no-observation-signal goes with --generic")
    missing = [str(root) for root in BLIND_SETS if not (root / "labels.csv").is_file()]
    if missing:
        print(f"no blind set at {', '.join(missing)}", file=sys.stderr)
        return 2
    standard = load_standard("ST0071")
    taggers = {"lexical": TaggingEngine(standard, TaggingConfig(semantic=False)),
               "semantic": TaggingEngine(standard, TaggingConfig(semantic=True))}
    if args.generic:
        from portfolio_check.tagging.fusion import model_for
        generic = TaggingEngine(standard, TaggingConfig(semantic=True))
        generic._model = model_for("", "")        # the model of a standard with none of its own
        if args.no_observation_signal:
            generic.standard = dataclasses.replace(
                standard, methods={m: {**spec, "kind": "other"} if spec.get("kind") == "observation" else spec
                                   for m, spec in standard.methods.items()})
        taggers = {"semantic (generic model)": generic}
    for name, engine in taggers.items():
        results = [evaluate(engine, root) for root in BLIND_SETS]
        for root, res in zip(BLIND_SETS, results):
            _print(f"{name} tagger on {root.name}", res, args.details)
        both = {k: [sum(r["counts"][k][i] for r in results) for i in range(5)] for k in results[0]["counts"]}
        merged = {"pieces": sum(r["pieces"] for r in results),
                  "non_evidence": {f: a for r in results for f, a in r["non_evidence"].items()},
                  "uncovered": {app: codes for r in results for app, codes in r["uncovered"].items()},
                  "hints": tuple(sum(r["hints"][i] for r in results) for i in range(3))}
        merged.update(_figures(both))
        _print(f"{name} tagger on both blind sets", merged, False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
