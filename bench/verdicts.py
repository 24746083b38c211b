"""Verdicts and reasons of both dev cohorts against their expected.csv, one line per apprentice.

    PYTHONPATH=src python bench/verdicts.py [SHARED]

A report, not a test: dev-cohort is asserted in tests/test_scan.py; dev-cohort-2 still differs
where the tagger misses KSBs (ksb_uncovered), which this makes visible.
"""
import csv
import sys
from pathlib import Path

from portfolio_check import Workbench


def main() -> int:
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent.parent / "shared"
    bad = 0
    for cohort in ("dev-cohort", "dev-cohort-2"):
        root = shared / cohort
        expected = {r["apprentice_id"]: r for r in csv.DictReader(open(root / "expected.csv", encoding="utf-8"))}
        for a in Workbench().scan(root, jobs=2, cache=False).apprentices:
            e = expected[a.id]
            ok = a.gateway_ready == (e["gateway_ready"] == "yes") and ";".join(a.reasons) == e["reasons"]
            bad += not ok
            print(f"{cohort:<13} {a.id:<8} {'OK ' if ok else 'DIFF'} {a.readiness.value:<21} {';'.join(a.reasons)}"
                  + ("" if ok else f"\n{'':<23}expected: {e['reasons'] or '(ready)'}"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
