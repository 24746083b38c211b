"""Structural checks PDFium does not report.

PDFium silently repairs damaged files, which is right for reading but wrong for a tutor who
needs to know the text may be incomplete. These checks look at the file without rendering
anything: a missing end-of-file marker and a broken cross-reference pointer from the raw tail,
a rebuilt cross-reference table or a looping update chain from pdfminer.six (a pdfplumber
dependency), and Flate streams that do not inflate from the bounded pre-scan of
:mod:`.pdf_budget` (which runs first, so pdfminer is never handed a decompression bomb).
pdfminer is not asked to resolve objects: resolving one inside an object stream decodes the
whole object stream with no limit.
"""
from __future__ import annotations

import logging
import re
from pathlib import Path

from .pdf_budget import StreamScan

MAX_CHECK_BYTES = 20 * 1024 * 1024     # larger files skip the pdfminer cross-reference check

_STARTXREF = re.compile(rb"startxref\s+(\d+)")


def structural_problems(path: Path, scan: StreamScan | None = None) -> list[str]:
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
    if scan is not None and scan.damaged and not scan.encrypted:
        problems.append("a content stream is damaged")
    if size > MAX_CHECK_BYTES:
        return problems
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    from pdfminer.pdfdocument import PDFDocument, PDFXRefFallback
    from pdfminer.pdfparser import PDFParser

    try:
        with path.open("rb") as fh:
            doc = PDFDocument(PDFParser(fh))
            if any(isinstance(x, PDFXRefFallback) for x in doc.xrefs) and not any(
                    "cross-reference" in p for p in problems):
                problems.append("its cross-reference table is damaged")
    except RecursionError:
        problems.append("its chain of updates loops back on itself")
    except Exception:  # noqa: BLE001 - pdfminer disagreeing with PDFium is itself the signal
        if not problems:
            problems.append("its structure is damaged")
    return problems
