"""Scan speed and memory, measured in one run.

    python bench/scan_speed.py [--apprentices 100] [--pieces 15] [--large 400] [--jobs 2] [--lexical]

Builds a synthetic cohort of N apprentices x P pieces from sample_evidence/ (each copy made
unique in its bytes, so nothing is served from the cache by accident), then measures:

1. the raw text-extraction floor: pypdfium2 page text for PDFs, python-docx paragraphs for
   DOCX, plain reads for text and e-mail, one process, no analysis at all;
2. a cold full scan (parse, tag, check, write every report) with an empty cache;
3. a warm re-scan of the unchanged cohort;
4. peak memory (main process and worker processes) of cold scans at N and at --large
   apprentices, each in a fresh process.

It prints each figure and the ratios the gateway issue sets: cold/floor, warm/cold and
peak(large)/peak(N). Tagging is the default semantic tagger (the tagger issue's cold-scan ratio);
``--lexical`` tags with ST0071's older lexicon tagger instead, for comparison.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _unique_docx(src: Path, dst: Path, n: int) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                extra = (f'<w:p><w:r><w:t>Synthetic copy {n} made for the speed benchmark.</w:t></w:r></w:p>').encode()
                i = data.rfind(b"<w:sectPr")
                i = i if i != -1 else data.rfind(b"</w:body>")
                data = data[:i] + extra + data[i:]
            zout.writestr(item, data)


def _unique_copy(src: Path, dst: Path, n: int) -> None:
    suffix = src.suffix.lower()
    if suffix == ".docx":
        _unique_docx(src, dst, n)
    elif suffix == ".pdf":
        dst.write_bytes(src.read_bytes() + f"% synthetic copy {n}\n".encode())
    elif suffix == ".eml":
        data = src.read_bytes()
        dst.write_bytes(f"X-Synthetic-Copy: {n}\n".encode() + data)
    else:
        dst.write_text(src.read_text(encoding="utf-8") + f"\nSynthetic copy {n} made for the speed benchmark.\n",
                       encoding="utf-8")


def build_cohort(root: Path, apprentices: int, pieces: int) -> int:
    pool = sorted((REPO / "sample_evidence" / "cohort").glob("*/portfolio/*"))
    record = (REPO / "sample_evidence" / "cohort" / "apr-001" / "apprentice.yaml").read_text(encoding="utf-8")
    proposal = REPO / "sample_evidence" / "cohort" / "apr-001" / "project" / "proposal.docx"
    n = 0
    for a in range(apprentices):
        folder = root / f"apr-{a:04d}"
        (folder / "portfolio").mkdir(parents=True)
        (folder / "project").mkdir()
        (folder / "apprentice.yaml").write_text(record, encoding="utf-8")
        shutil.copy(proposal, folder / "project" / "proposal.docx")
        for p in range(pieces):
            src = pool[(a * pieces + p) % len(pool)]
            _unique_copy(src, folder / "portfolio" / f"{p:02d}_{src.name}", n)
            n += 1
    return n


def extraction_floor(root: Path) -> tuple[float, int]:
    import docx
    import pypdfium2 as pdfium

    started = time.perf_counter()
    chars = 0
    for f in sorted(root.glob("*/portfolio/*")):
        suffix = f.suffix.lower()
        if suffix == ".pdf":
            pdf = pdfium.PdfDocument(str(f))
            for i in range(len(pdf)):
                page = pdf[i]
                tp = page.get_textpage()
                chars += len(tp.get_text_range())
                tp.close()
                page.close()
            pdf.close()
        elif suffix == ".docx":
            chars += sum(len(p.text) for p in docx.Document(str(f)).paragraphs)
        else:
            chars += len(f.read_bytes())
    return time.perf_counter() - started, chars


SCAN_SCRIPT = r"""
import json, resource, sys, time
from pathlib import Path
from portfolio_check import Workbench
from portfolio_check.tagging import TaggingConfig
import portfolio_check.scan as scan
cohort, cache, out, jobs, semantic = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5] == "1"
real = scan.iter_scan
def with_cache(*a, **k):
    k["cache_dir"] = cache
    return real(*a, **k)
scan.iter_scan = with_cache
t = time.perf_counter()
res = Workbench(tagging=None if semantic else TaggingConfig(semantic=False)).scan(cohort, jobs=jobs, out_dir=out, keep_details=False)   # as the CLI runs it
elapsed = time.perf_counter() - t
print(json.dumps({"seconds": elapsed, "apprentices": len(res.apprentices),
                  "files": sum(a.pieces for a in res.apprentices),
                  "peak_main_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "peak_worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def run_scan(cohort: Path, cache: Path, out: Path, jobs: int, semantic: bool = True) -> dict:
    env = dict(os.environ, PYTHONPATH=str(REPO / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, "-c", SCAN_SCRIPT, str(cohort), str(cache), str(out), str(jobs), "1" if semantic else "0"],
                          capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--apprentices", type=int, default=100)
    ap.add_argument("--pieces", type=int, default=15)
    ap.add_argument("--large", type=int, default=400, help="apprentices in the memory-comparison cohort (0: skip)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--keep", action="store_true", help="keep the synthetic cohorts")
    ap.add_argument("--lexical", action="store_true", help="tag with ST0071's older lexicon tagger instead of the default")
    ap.add_argument("--semantic", action="store_true", help="the default; kept for old command lines")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pc-bench-"))
    try:
        small = work / "cohort"
        t = time.perf_counter()
        n = build_cohort(small, args.apprentices, args.pieces)
        print(f"Synthetic cohort: {args.apprentices} apprentices x {args.pieces} pieces = {n} files "
              f"(built in {time.perf_counter() - t:.1f}s); {args.jobs} worker processes; {os.cpu_count()} cores; "
              f"tagger: {'lexical' if args.lexical else 'semantic'}")
        floor, _ = extraction_floor(small)
        print(f"  raw extraction floor (1 process): {floor:7.2f} s")
        cold = run_scan(small, work / "cache", work / "out-cold", args.jobs, not args.lexical)
        print(f"  cold full scan:                   {cold['seconds']:7.2f} s   peak main {cold['peak_main_mb']:.0f} MB, "
              f"worker {cold['peak_worker_mb']:.0f} MB")
        warm = run_scan(small, work / "cache", work / "out-warm", args.jobs, not args.lexical)
        print(f"  warm re-scan (unchanged cohort):  {warm['seconds']:7.2f} s")
        print(f"  ratio cold / floor:  {cold['seconds'] / floor:5.2f}   (issue: at most 3)")
        print(f"  ratio warm / cold:   {warm['seconds'] / cold['seconds']:5.1%}   (issue: at most 10%)")
        if args.large:
            big = work / "cohort-large"
            n_big = build_cohort(big, args.large, args.pieces)
            large = run_scan(big, work / "cache-large", work / "out-large", args.jobs, not args.lexical)
            peak_small = cold["peak_main_mb"] + cold["peak_worker_mb"]
            peak_large = large["peak_main_mb"] + large["peak_worker_mb"]
            print(f"  cold scan of {n_big} files:       {large['seconds']:7.2f} s   peak main {large['peak_main_mb']:.0f} MB, "
                  f"worker {large['peak_worker_mb']:.0f} MB")
            print(f"  ratio peak memory {n_big} / {n} files: {peak_large / peak_small:5.2f}   (issue: within 20%, i.e. at most 1.20)")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
