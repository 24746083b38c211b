"""Structural checks PDFium does not report.

PDFium silently repairs damaged files, which is right for reading but wrong for a tutor who
needs to know the text may be incomplete. These checks look at the file with pdfminer.six
(a pdfplumber dependency) without rendering anything: a rebuilt cross-reference table, a
looping update chain, a missing end-of-file marker, content streams that do not inflate, and
streams that would inflate past a limit (decompression bombs), inflated with a hard cap.
"""
from __future__ import annotations

import logging
import re
import time
import zlib
from pathlib import Path

MAX_CHECK_BYTES = 20 * 1024 * 1024     # larger files skip the stream scan
STREAM_CAP = 64 * 1024 * 1024          # a single stream inflating past this is a bomb
SCAN_SECONDS = 3.0

_STARTXREF = re.compile(rb"startxref\s+(\d+)")


def structural_problems(path: Path) -> list[str]:
    """Plain-English problems found in the file's structure (empty when healthy)."""
    problems: list[str] = []
    size = path.stat().st_size
    with path.open("rb") as fh:
        fh.seek(max(0, size - 2048))
        tail = fh.read()
    if b"%%EOF" not in tail:
        problems.append("the file is truncated (no end-of-file marker)")
    m = None
    for m in _STARTXREF.finditer(tail):
        pass
    last = tail.rfind(b"startxref")
    if last >= 0 and (m is None or m.start() != last):
        problems.append("its cross-reference pointer is broken")
    elif m is not None:
        offset = int(m.group(1))
        with path.open("rb") as fh:
            fh.seek(min(offset, size))
            at = fh.read(32).lstrip()
        if not (at.startswith(b"xref") or re.match(rb"\d+\s+\d+\s+obj", at)):
            problems.append("its cross-reference pointer is broken")
    if size > MAX_CHECK_BYTES:
        return problems
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    from pdfminer.pdfdocument import PDFDocument, PDFXRefFallback
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import PDFStream

    try:
        with path.open("rb") as fh:
            doc = PDFDocument(PDFParser(fh))
            if any(isinstance(x, PDFXRefFallback) for x in doc.xrefs) and not any(
                    "cross-reference" in p for p in problems):
                problems.append("its cross-reference table is damaged")
            started = time.monotonic()
            seen: set[int] = set()
            for xref in doc.xrefs:
                for objid in xref.get_objids():
                    if objid in seen or time.monotonic() - started > SCAN_SECONDS:
                        continue
                    seen.add(objid)
                    try:
                        obj = doc.getobj(objid)
                    except Exception:  # noqa: BLE001 - one bad object is not the point here
                        continue
                    if not isinstance(obj, PDFStream):
                        continue
                    filters = obj.get_filters()
                    if not filters or filters[0][0].name != "FlateDecode":
                        continue
                    raw = obj.rawdata or b""
                    try:
                        d = zlib.decompressobj()
                        d.decompress(raw, STREAM_CAP)
                        if d.unconsumed_tail:
                            problems.append("a compressed stream inflates past the size limit "
                                            "(a decompression bomb); it was not inflated")
                            return problems
                    except zlib.error:
                        if "a content stream is damaged" not in problems:
                            problems.append("a content stream is damaged")
    except RecursionError:
        problems.append("its chain of updates loops back on itself")
    except Exception:  # noqa: BLE001 - pdfminer disagreeing with PDFium is itself the signal
        if not problems:
            problems.append("its structure is damaged")
    return problems
