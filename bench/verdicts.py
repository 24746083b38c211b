"""Verdicts and reasons of both dev cohorts against their expected.csv, one line per apprentice.

    PYTHONPATH=src python bench/verdicts.py [SHARED] [--lexical] [--out-of-fold [--vec-cache F]]

A report, not a test: dev-cohort is asserted in tests/test_scan.py; dev-cohort-2 still differs
where the tagger misses KSBs (ksb_uncovered), which this makes visible. The default scan uses the
semantic tagger, whose shipped ST0071 model was trained on these very pieces, so its verdicts
here are in-sample (optimistic), not a measure of what a new cohort gets; ``--lexical`` scans
with ST0071's older lexicon tagger (tuned on dev-cohort). ``--out-of-fold`` (semantic, needs
the ``train`` extra) is the honest measure: for each apprentice the ST0071
model is retrained without them (bench/train_tagger.py fold_model) and their verdict comes from
a scan with that model, so no apprentice is judged by a model that saw their pieces.
"""
import csv
import re
import sys
from pathlib import Path

from portfolio_check import Workbench
from portfolio_check.tagging import TaggingConfig

COHORTS = ("dev-cohort", "dev-cohort-2")


def _line(cohort: str, a, e: dict) -> tuple[bool, str]:
    ok = a.gateway_ready == (e["gateway_ready"] == "yes") and ";".join(a.reasons) == e["reasons"]
    return ok, (f"{cohort:<13} {a.id:<8} {'OK ' if ok else 'DIFF'} {a.readiness.value:<21} {';'.join(a.reasons)}"
                + ("" if ok else f"\n{'':<23}expected: {e['reasons'] or '(ready)'}"))


def _expected(root: Path) -> dict:
    return {r["apprentice_id"]: r for r in csv.DictReader(open(root / "expected.csv", encoding="utf-8"))}


def in_sample(shared: Path, tagging) -> int:
    bad = 0
    for cohort in COHORTS:
        root = shared / cohort
        expected = _expected(root)
        for a in Workbench(tagging=tagging).scan(root, jobs=2, cache=False).apprentices:
            ok, line = _line(cohort, a, expected[a.id])
            bad += not ok
            print(line)
    return bad


def out_of_fold(shared: Path, vec_cache: str | None) -> tuple[int, int]:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import train_tagger as tt
    from portfolio_check.standards import load_standard
    from portfolio_check.tagging import TaggingEngine, fusion

    tt.vec_cache(vec_cache)
    engine = TaggingEngine(load_standard("ST0071"), TaggingConfig(semantic=True))
    pieces = tt.load_pieces(engine, shared)
    tt.vec_cache(vec_cache, save=True)
    real = fusion.model_for
    bad = total = hinted = hinted_first = hinted_right = 0
    try:
        for cohort in COHORTS:
            root = shared / cohort
            expected = _expected(root)
            labels = _labels(root)
            for app in sorted(expected):
                model = tt.fold_model(pieces, engine, {app})
                # jobs=1: the scan tags in this process, where the fold model stands in
                fusion.model_for = lambda code, h, model=model: model if code == "ST0071" else real(code, h)
                res = Workbench(tagging=TaggingConfig(semantic=True)).scan(root, jobs=1, cache=False)
                a = next(x for x in res.apprentices if x.id == app)
                ok, line = _line(cohort, a, expected[app])
                bad += not ok
                total += 1
                print(line, flush=True)
                for code, named, place in _hints(a, expected[app], labels.get(app, {})):
                    hinted += 1
                    hinted_first += place == 1
                    hinted_right += place > 0
                    print(f"{'':<23}{code} wrongly uncovered; the finding names {', '.join(named) or '(no piece)'}"
                          f"{f': piece {place} is labelled with it' if place else ''}", flush=True)
    finally:
        fusion.model_for = real
    print(f"wrongly uncovered KSBs: {hinted}; the PC401 finding names a piece labelled with the KSB for "
          f"{hinted_right} (its first-named piece for {hinted_first})")
    return bad, total


def _labels(root: Path) -> dict:
    """apprentice -> file -> its primary KSBs (labels.csv)."""
    out: dict = {}
    for r in csv.DictReader(open(root / "labels.csv", encoding="utf-8")):
        out.setdefault(r["apprentice_id"], {})[r["file"]] = set(r["primary_ksbs"].split())
    return out


def _hints(a, e: dict, files: dict) -> list[tuple[str, list[str], int]]:
    """For each KSB the scan calls uncovered but expected.csv does not: the pieces its PC401
    finding names ("K7 in A (0.55), B (0.31)", best first) and the place (1, 2...) of the first
    one labels.csv gives the KSB, 0 if none."""
    expected = set()
    for reason in e["reasons"].split(";"):
        if reason.startswith("ksb_uncovered:"):
            expected |= set(reason.split(":", 1)[1].split())
    finding = next((f.message for f in a.findings if f.code == "PC401"), "")
    listed = finding.split("Closest suggestions, not accepted: ", 1)[1].rstrip(".") if "Closest suggestions" in finding else ""
    named = {}
    for part in listed.split("; "):
        code, _, rest = part.partition(" in ")
        named[code] = re.findall(r"(.+?) \(\d\.\d\d\)(?:, |$)", rest)
    got = set(next((r.split(":", 1)[1].split() for r in a.reasons if r.startswith("ksb_uncovered:")), []))
    out = []
    for code in sorted(got - expected):
        pieces = named.get(code, [])
        place = next((i + 1 for i, f in enumerate(pieces) if code in files.get(f, set())), 0)
        out.append((code, pieces, place))
    return out


def main() -> int:
    argv = sys.argv[1:]
    vec = None
    if "--vec-cache" in argv:
        i = argv.index("--vec-cache")
        vec = argv[i + 1]
        del argv[i:i + 2]
    flags = {a for a in argv if a.startswith("--")}
    args = [a for a in argv if not a.startswith("--")]
    shared = Path(args[0]) if args else Path(__file__).resolve().parent.parent.parent / "shared"
    if "--out-of-fold" in flags:
        bad, total = out_of_fold(shared, vec)
        print(f"out of fold: {total - bad} of {total} verdicts and reasons equal expected.csv")
    else:
        tagging = TaggingConfig(semantic=False) if "--lexical" in flags else None
        bad = in_sample(shared, tagging)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
