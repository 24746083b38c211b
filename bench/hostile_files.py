"""Hostile files, all in one process: time per file, findings, and peak memory (issue 10).

Builds each hostile file of issue 10 in a temporary folder, then analyses them one after
another the way a scan worker does (``analyse_guarded``: parse, tag, checks, with the per-file
time and size budgets), printing seconds, words and finding codes per file and the process's
peak resident memory before and after. A measurement, not a test: nothing here asserts.

    PYTHONPATH=src python bench/hostile_files.py [--paragraphs 100000] [--big-mb 60]
           [--tag-chars N]   # raise the size budget, e.g. to time tagging 100,000 paragraphs
"""
from __future__ import annotations

import argparse
import resource
import struct
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from docx_builder import NS, build, p  # noqa: E402

BODY = p("I planned the team rota and reviewed it with my manager every week.")


def _lie(path: Path, member: str, claimed: int) -> None:
    data = bytearray(path.read_bytes())
    i = 0
    while (i := data.find(b"PK\x01\x02", i)) >= 0:
        n = struct.unpack("<H", data[i + 28:i + 30])[0]
        if bytes(data[i + 46:i + 46 + n]) == member.encode():
            data[i + 24:i + 28] = struct.pack("<L", claimed)
            local = struct.unpack("<L", data[i + 42:i + 46])[0]
            data[local + 22:local + 26] = struct.pack("<L", claimed)
        i += 4
    path.write_bytes(bytes(data))


def make(folder: Path, paragraphs: int, big_mb: int) -> list[Path]:
    files = []
    for method, label in ((zipfile.ZIP_BZIP2, "bzip2"), (zipfile.ZIP_LZMA, "lzma")):
        f = folder / f"bomb_{label}_lying_sizes.docx"
        build(f, BODY + p("padding " * 50) * 200_000, compression=method)   # ~90 MB inflated
        _lie(f, "word/document.xml", 4096)
        files.append(f)
    f = folder / "numbering_10e15_lowerRoman.docx"
    build(f, p("A point.", extra_ppr='<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>') * 3,
          numbering='<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1000000000000000"/>'
                    '<w:numFmt w:val="lowerRoman"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
                    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>')
    files.append(f)
    para = p("The tenant reported a repair and I logged it on the system the same day.")
    f = folder / f"document_xml_{big_mb}MB.docx"
    build(f, para * (big_mb * 1_000_000 // len(para)))
    files.append(f)
    words = ["rota", "team", "budget", "customer", "plan", "review", "risk", "manager"]
    f = folder / f"{paragraphs}_short_paragraphs.docx"
    build(f, "".join(p(f"Point {i} {words[i % 8]} {words[(i * 3) % 8]}.") for i in range(paragraphs)))
    files.append(f)
    dtd = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]>'
    f = folder / "settings_with_dtd.docx"
    build(f, BODY, settings="<w:x/>", raw_parts={"word/settings.xml": f"{dtd}<w:settings {NS}><w:zoom/>&undeclared;</w:settings>"})
    files.append(f)
    f = folder / "sym_out_of_range.docx"
    build(f, BODY + '<w:p><w:r><w:sym w:font="Wingdings" w:char="FFFFFFFFFFFFFFFFFFFF"/></w:r></w:p>')
    files.append(f)
    f = folder / "duplicate_members.docx"
    build(f, BODY, extra_members=[("word/document.xml", f'<?xml version="1.0"?><w:document {NS}><w:body>{p("Other.")}</w:body></w:document>')])
    files.append(f)
    f = folder / "white_and_tiny_padding.docx"
    pad = " ".join(["stakeholder", "budget", "risk"] * 100)
    build(f, BODY + f'<w:p><w:r><w:rPr><w:color w:val="FFFFFF"/></w:rPr><w:t>{pad}</w:t></w:r></w:p>'
          + f'<w:p><w:r><w:rPr><w:sz w:val="2"/></w:rPr><w:t>{pad}</w:t></w:r></w:p>')
    files.append(f)
    f = folder / "altchunk_and_ole.docx"
    build(f, BODY + '<w:altChunk r:id="rA"/><w:p><w:r><w:object><o:OLEObject '
          'xmlns:o="urn:schemas-microsoft-com:office:office" r:id="rO"/></w:object></w:r></w:p>')
    files.append(f)
    return files


def rss_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--paragraphs", type=int, default=100_000)
    ap.add_argument("--big-mb", type=int, default=60)
    ap.add_argument("--tag-chars", type=int, default=None, help="override the size budget (MAX_TAG_CHARS)")
    args = ap.parse_args()
    from portfolio_check import budget, evidence
    if args.tag_chars:
        budget.MAX_TAG_CHARS = evidence.MAX_TAG_CHARS = args.tag_chars
    from portfolio_check.scan import analyse_guarded
    from portfolio_check.standards import load_standard
    from portfolio_check.tagging import TaggingConfig
    from portfolio_check.tagging.engine import TaggingEngine
    with tempfile.TemporaryDirectory() as tmp:
        # Built in a child process so building them does not count in this process's peak.
        import multiprocessing
        child = multiprocessing.get_context("spawn").Process(target=make, args=(Path(tmp), args.paragraphs, args.big_mb))
        child.start()
        child.join()
        files = sorted(Path(tmp).iterdir(), key=lambda f: f.stat().st_mtime)
        print(f"peak RSS before loading the tagger: {rss_mb()} MB")
        engine = TaggingEngine(load_standard("ST0071"), TaggingConfig())
        analyse_guarded(files[-1], "warm-up", engine, None, None, "x")   # the small altChunk file
        print(f"peak RSS after loading the tagger: {rss_mb()} MB (time budget {budget.file_seconds():g} s, "
              f"size budget {budget.MAX_TAG_CHARS:,} chars)")
        worst = 0.0
        for f in files:
            t = time.perf_counter()
            r = analyse_guarded(f, f.name, engine, None, None, "x")
            dt = time.perf_counter() - t
            worst = max(worst, dt)
            print(f"{f.name:42} {dt:7.2f} s  {r.words:>7} words  {' '.join(x.code for x in r.findings)}"
                  f"   (peak RSS so far {rss_mb()} MB)", flush=True)
        print(f"slowest file {worst:.2f} s; peak RSS over all hostile files in one process: {rss_mb()} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
