"""Verdicts and reasons of both dev cohorts against their expected.csv, one line per apprentice.

    PYTHONPATH=src python bench/verdicts.py [SHARED] [--semantic]

A report, not a test: dev-cohort is asserted in tests/test_scan.py; dev-cohort-2 still differs
where the tagger misses KSBs (ksb_uncovered), which this makes visible. ``--semantic`` scans with
the semantic tagger; its ST0071 model was trained on these very pieces, so its verdicts here are
in-sample (optimistic), not a measure of what a new cohort gets.
"""
import csv
import sys
from pathlib import Path

from portfolio_check import Workbench
from portfolio_check.tagging import TaggingConfig


def main() -> int:
    args = [a for a in sys.argv[1:] if a != "--semantic"]
    tagging = TaggingConfig(semantic=True) if "--semantic" in sys.argv[1:] else None
    shared = Path(args[0]) if args else Path(__file__).resolve().parent.parent.parent / "shared"
    bad = 0
    for cohort in ("dev-cohort", "dev-cohort-2"):
        root = shared / cohort
        expected = {r["apprentice_id"]: r for r in csv.DictReader(open(root / "expected.csv", encoding="utf-8"))}
        for a in Workbench(tagging=tagging).scan(root, jobs=2, cache=False).apprentices:
            e = expected[a.id]
            ok = a.gateway_ready == (e["gateway_ready"] == "yes") and ";".join(a.reasons) == e["reasons"]
            bad += not ok
            print(f"{cohort:<13} {a.id:<8} {'OK ' if ok else 'DIFF'} {a.readiness.value:<21} {';'.join(a.reasons)}"
                  + ("" if ok else f"\n{'':<23}expected: {e['reasons'] or '(ready)'}"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
