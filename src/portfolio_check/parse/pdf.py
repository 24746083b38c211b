"""PDF evidence and reports, read with pypdfium2 (the engine behind pdfplumber's fast path).

A PDF has no paragraphs, headings or running headers, only positioned lines. This parser
rebuilds what the word counter and tagger need:

* lines that recur at the top or bottom of most pages (running headers, "Page 3 of 10") are
  given the HEADER/FOOTER role so they are not counted as body text;
* wrapped lines are joined into paragraphs (PDFium ends a soft-wrapped line with a space),
  and words hyphenated at a line end are rejoined;
* pages with no text layer but with images are listed as image-only (scans) and, when the
  machine has Tesseract, read by OCR (:mod:`.ocr`), their blocks marked as such;
* text a reader cannot see (invisible, white on white, tiny, off the page) is left out of the
  text and reported once per file (:mod:`.pdf_hidden`);
* every compressed stream is checked against a decompression budget before PDFium sees the
  file (:mod:`.pdf_budget`);
* files embedded in the PDF are read as attachments, with the e-mail guards (:mod:`.attachments`);
* encrypted files are reported, not guessed at; pages are closed as they are read so a
  2,000-page file stays in bounded memory, and a page budget caps the time spent.
"""
from __future__ import annotations

import re
import time
from collections import Counter
from pathlib import Path
from typing import Callable

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..models import Block, DocMetadata, Document, Finding, Location, Role, Severity
from . import codes
from .registry import register
from .attachments import read_attachments
from .pdf_budget import scan_pdf
from .pdf_health import structural_problems
from .pdf_hidden import page_text
from .sniff import Kind
from . import ocr

MAX_PAGES = 3000
TIME_BUDGET_S = 120.0

_PAGE_NO = re.compile(r"^\s*(page\s+)?\d{1,4}(\s*(of|/)\s*\d{1,4})?\s*$", re.I)
_LEADER = re.compile(r"(?:\.\s?){4,}|…{2,}|_{4,}")
_DIGITS = re.compile(r"\d+")
_SOFT_HYPHENS = ("\x02", "\xad")
_BULLETS = ("\uf0b7", "\u2022", "\u25e6", "\u25aa", "\u2023", "\u25cf", "\uf0a7", "\uf076", "\u2043", "\u25a0")
_HEADING = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2})*)\.?\s+\S|^(?:section|part|chapter)\s+\d+\b|"
                      r"^(?:appendix|appendices|annex|annexes|references|bibliography|contents|table of contents)\b", re.I)
_NOTE_START = re.compile(r"^\s*(\d{1,2})(\s*$|\s+\S)")


def _footnote_start(lines: list[str]) -> int | None:
    """Index of the first footnote line at the bottom of a page's body, if any.

    A footnote is recognised only when its number also appears as a mark glued to the end of
    a word higher up the page ("payments.1"), so numbered list items are not mistaken for it.
    """
    idx = [i for i, ln in enumerate(lines) if ln.strip()]
    if len(idx) < 3:
        return None
    lower_half = idx[len(idx) // 2:]
    for i in lower_half:
        m = _NOTE_START.match(lines[i])
        if not m or lines[i].lstrip().startswith(tuple(f"{m.group(1)}{c}" for c in ".)")):
            continue
        num = m.group(1)
        mark = re.compile(r"[^\s\d]" + num + r"(?=\s|$)")
        if any(mark.search(lines[j]) for j in idx if j < i):
            return i
    return None


def _norm(line: str) -> str:
    return _DIGITS.sub("#", line.strip().lower())


def _page_lines(text: str) -> list[str]:
    return [ln for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]


def _running_lines(pages: list[list[str]]) -> tuple[set[str], set[str]]:
    """Normalised lines that repeat at the top / bottom of pages: running headers and footers."""
    n = len(pages)
    if n < 2:
        return set(), set()
    tops: Counter[str] = Counter()
    bottoms: Counter[str] = Counter()
    for lines in pages:
        content = [ln for ln in lines if ln.strip()]
        for ln in set(_norm(x) for x in content[:2]):
            tops[ln] += 1
        for ln in set(_norm(x) for x in content[-2:]):
            bottoms[ln] += 1
    need = max(2, int(n * 0.5))
    head = {k for k, v in tops.items() if v >= need and k}
    foot = {k for k, v in bottoms.items() if v >= need and k}
    return head, foot


def _paragraphs(lines: list[str], trailing_space_wraps: bool) -> list[tuple[int, str]]:
    """Join wrapped lines into paragraphs; return (first line index, text)."""
    out: list[tuple[int, str]] = []
    buf = ""
    start = 0
    widths = [len(ln.rstrip()) for ln in lines if ln.strip()]
    typical = sorted(widths)[int(len(widths) * 0.8)] if widths else 0
    for i, raw in enumerate(lines):
        line = raw.rstrip("\n")
        if not line.strip():
            if buf:
                out.append((start, buf.strip()))
                buf = ""
            continue
        if not buf:
            start = i
        stripped = line.rstrip(" ")
        if stripped.endswith(_SOFT_HYPHENS):
            buf += stripped[:-1]
            continue
        if re.search(r"[A-Za-z]-$", stripped) and i + 1 < len(lines) and lines[i + 1][:1].islower():
            buf += stripped          # a word broken at the line end: rejoin, keep the hyphen
            continue
        if trailing_space_wraps:
            wraps = line.endswith(" ")
        else:
            wraps = len(stripped) >= 0.75 * typical and not stripped.endswith((".", ":", "?", "!"))
        buf += stripped + (" " if wraps else "")
        if not wraps:
            out.append((start, buf.strip()))
            buf = ""
    if buf.strip():
        out.append((start, buf.strip()))
    return out


def _heading_level(text: str) -> int | None:
    """Level of a numbered or conventional heading ("3. The challenge", "Section 4: ...",
    "Annex A", "References"), else None. A PDF keeps no styles, so only headings that say
    what they are are recognised: short, no closing full stop."""
    words = text.split()
    if not words or len(words) > 14 or text.rstrip().endswith((".", ";", ",")) or "...." in text:
        return None
    m = _HEADING.match(text)
    if not m:
        return None
    num = m.group("num")
    return num.count(".") + 1 if num else 1


def _has_images(page: pdfium.PdfPage) -> bool:
    try:
        for _obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=2):
            return True
    except Exception:  # noqa: BLE001 - a damaged object tree just means "don't know"
        return False
    return False


def _metadata(pdf: pdfium.PdfDocument, pages: int) -> DocMetadata:
    try:
        meta = pdf.get_metadata_dict(skip_empty=True)
    except Exception:  # noqa: BLE001
        meta = {}
    return DocMetadata(author=meta.get("Author"), created=meta.get("CreationDate"),
                       modified=meta.get("ModDate"), pages=pages, title=meta.get("Title"))


def _embedded_files(pdf: pdfium.PdfDocument) -> list[tuple[str, Callable[[], bytes]]]:
    """(name, bytes loader) of each file embedded in the PDF. PDFium decodes the file's stream
    only when asked, and the budget pre-scan has already bounded that stream."""
    try:
        count = pdf.count_attachments()
    except pdfium.PdfiumError:
        return []
    items: list[tuple[str, Callable[[], bytes]]] = []
    for i in range(count):
        try:
            att = pdf.get_attachment(i)
            fname = att.get_name() or f"embedded file {i + 1}"
        except pdfium.PdfiumError:
            continue

        def load(att=att) -> bytes:
            try:
                return bytes(att.get_data())
            except pdfium.PdfiumError:
                return b""
        items.append((fname, load))
    return items


def _pages(pages: list[int]) -> str:
    shown = ", ".join(map(str, pages[:10]))
    return ("page " if len(pages) == 1 else "pages ") + shown + ("…" if len(pages) > 10 else "")


def _hidden_finding(name: str, hidden: dict[str, dict[int, int]]) -> Finding:
    """One finding per file: how many hidden words, why hidden, on which pages (no text)."""
    total = sum(sum(p.values()) for p in hidden.values())
    parts = [f"{sum(p.values()):,} {reason} on {_pages(sorted(p))}" for reason, p in hidden.items()]
    pages = sorted({pg for p in hidden.values() for pg in p})
    return Finding(codes.HIDDEN_TEXT, Severity.WARNING,
                   f"{name} holds {total:,} word{'s' if total != 1 else ''} of text a reader cannot see "
                   f"({'; '.join(parts)}); they are not counted and not used as KSB evidence.",
                   file=name, where=_pages(pages))


def _ocr_page(path: Path, index: int, engine: ocr.OcrEngine, budget: ocr.Budget) -> tuple[str | None, str]:
    """One scanned page (``index`` from 0) through OCR within the file's budget: (text, "")
    or (None, why). The page is drawn in a child process (:func:`ocr.render`)."""
    try:
        png = ocr.render(str(path), index, timeout=budget.next_page())
        text = ocr.read(png, engine, budget)
    except ocr.Unread as exc:
        return None, str(exc)
    if len(text.split()) < 3:
        return None, "OCR found no words on it"
    return ocr.as_lines(text), ""


def _scan_findings(name: str, image_only: list[int], ocr_read: list[int], ocr_unread: dict[int, str],
                   n_pages: int, engine: ocr.OcrEngine | None) -> list[Finding]:
    """PC114 for scanned pages read by OCR, PC113 for those left unread, each saying why."""
    out: list[Finding] = []
    if ocr_read:
        out.append(Finding(codes.OCR_READ, Severity.WARNING,
                           f"{name}: scanned {_pages(ocr_read)} read by OCR ({engine.id if engine else 'OCR'}); "
                           "quotes from OCR text may hold misread words, and handwriting and signatures are not "
                           "read: check the scan by eye.", file=name, where=_pages(ocr_read)))
    unread = [p for p in image_only if p not in ocr_read]
    if not unread:
        return out
    if engine is None:
        hint = ocr.unavailable("scans")
    else:
        reasons = sorted({ocr_unread.get(p, "not read") for p in unread})
        hint = f"OCR did not read {'it' if len(unread) == 1 else 'them'}: " + "; ".join(reasons)
    if len(unread) == n_pages:
        out.append(Finding(codes.IMAGE_ONLY, Severity.ERROR,
                           f"{name} is a scan with no text layer on any page: it cannot be read or tagged "
                           f"({hint}). It still counts as a submitted piece.", file=name))
    else:
        out.append(Finding(codes.IMAGE_ONLY, Severity.WARNING,
                           f"{name}: {_pages(unread)} scanned, with no text layer; "
                           f"not read ({hint}).", file=name, where=_pages(unread)))
    return out


@register(Kind.PDF)
def parse_pdf(path: Path, head: bytes, max_pages: int = MAX_PAGES, time_budget: float = TIME_BUDGET_S) -> Document:
    name = path.name
    # Before any library decodes a byte: PDFium inflates streams whole and without limit.
    scan = scan_pdf(path)
    if scan.over_budget or scan.timed_out:
        why = scan.over_budget or "its streams could not be checked within the time allowed"
        return Document(path=str(path), kind="pdf", findings=(Finding(
            codes.PDF_BUDGET, Severity.ERROR,
            f"{name} was not read: {why}. Ask for the file to be saved again (e.g. 'Print to PDF').",
            file=name),))
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        msg = str(exc).lower()
        if "password" in msg:
            return Document(path=str(path), kind="pdf", findings=(Finding(
                codes.ENCRYPTED, Severity.ERROR,
                f"{name} is password-protected: its text cannot be read or counted. Ask for an unprotected copy.",
                file=name),))
        if "format" in msg or "file" in msg:
            why = "it is damaged or not a complete PDF (no readable cross-reference table)"
        else:
            why = "it is damaged"
        return Document(path=str(path), kind="pdf",
                        findings=(Finding(codes.CORRUPT, Severity.ERROR, f"{name} cannot be read: {why}.", file=name),))
    findings: list[Finding] = []
    try:
        problems = structural_problems(path, scan)
    except Exception:  # noqa: BLE001 - the check is advisory; never lose the text over it
        problems = []
    if problems:
        findings.append(Finding(codes.RECOVERED, Severity.WARNING,
                                f"{name} is damaged ({'; '.join(problems)}); it was read after repair, "
                                "so some text may be missing.", file=name))
    try:
        n_pages = len(pdf)
        if n_pages == 0:
            return Document(path=str(path), kind="pdf", findings=(Finding(
                codes.CORRUPT, Severity.ERROR, f"{name} cannot be read: it has no pages (damaged file).", file=name),))
        started = time.monotonic()
        page_texts: list[list[str]] = []
        image_only: list[int] = []
        ocr_read: list[int] = []
        ocr_unread: dict[int, str] = {}                 # page -> why OCR did not read it
        ocr_engine = ocr.engine()
        ocr_budget = ocr.Budget()
        hidden: dict[str, dict[int, int]] = {}          # reason -> page -> words
        read = 0
        for i in range(min(n_pages, max_pages)):
            if time.monotonic() - started > time_budget:
                break
            page = pdf[i]
            try:
                tp = page.get_textpage()
                try:
                    seen = page_text(page, tp)
                finally:
                    tp.close()
                text = seen.text
                for reason, held in seen.hidden:
                    words = len(held.split())
                    if words:
                        hidden.setdefault(reason, {})[i + 1] = hidden.get(reason, {}).get(i + 1, 0) + words
                if len(text.strip()) < 3 and _has_images(page):
                    image_only.append(i + 1)
                    if ocr_engine is not None:
                        read_text, why = _ocr_page(path, i, ocr_engine, ocr_budget)
                        if read_text is None:
                            ocr_unread[i + 1] = why
                        else:
                            text = read_text
                            ocr_read.append(i + 1)
            except pdfium.PdfiumError:
                text = ""
                findings.append(Finding(codes.RECOVERED, Severity.WARNING,
                                        f"{name}: page {i + 1} could not be read and was skipped.", file=name))
            finally:
                page.close()
            page_texts.append(_page_lines(_LEADER.sub(" ", text)))
            read += 1
        if read < n_pages:
            findings.append(Finding(codes.PAGE_BUDGET, Severity.WARNING,
                                    f"{name} has {n_pages:,} pages; only the first {read:,} were read "
                                    "(page or time limit), so counts cover those pages only.", file=name))
        if hidden:
            findings.append(_hidden_finding(name, hidden))
        attachments, att_findings = read_attachments(path, _embedded_files(pdf), what="embedded file")
        findings.extend(att_findings)
        metadata = _metadata(pdf, n_pages)
    finally:
        pdf.close()

    head_lines, foot_lines = _running_lines(page_texts)
    all_lines = [ln for lines in page_texts for ln in lines if ln.strip()]
    trailing = sum(1 for ln in all_lines if ln.endswith(" "))
    trailing_space_wraps = trailing >= 0.1 * max(1, len(all_lines))
    blocks: list[Block] = []
    para_no = 0
    ocr_set = set(ocr_read)
    for pno, lines in enumerate(page_texts, 1):
        content_idx = [i for i, ln in enumerate(lines) if ln.strip()]
        top = set(content_idx[:2])
        bottom = set(content_idx[-2:])
        body_lines: list[str] = []
        for i, ln in enumerate(lines):
            if not ln.strip():
                body_lines.append("")
                continue
            key = _norm(ln)
            if i in top and (key in head_lines or (_PAGE_NO.match(ln) and len(page_texts) > 1)):
                blocks.append(Block(Role.HEADER, ln.strip(), Location(page=pno, line=i + 1, ocr=pno in ocr_set)))
                body_lines.append("")
            elif i in bottom and (key in foot_lines or _PAGE_NO.match(ln)):
                blocks.append(Block(Role.FOOTER, ln.strip(), Location(page=pno, line=i + 1, ocr=pno in ocr_set)))
                body_lines.append("")
            else:
                body_lines.append(ln)
        note_at = _footnote_start(body_lines)
        notes = body_lines[note_at:] if note_at is not None else []
        if note_at is not None:
            body_lines = body_lines[:note_at]
        first = True
        for start, text in _paragraphs(body_lines, trailing_space_wraps):
            para_no += 1
            role, label, level = Role.PARAGRAPH, "", None
            if text.startswith(_BULLETS):
                role, label, text = Role.LIST_ITEM, text[0], text[1:].strip()
            else:
                level = _heading_level(text)
                if level is not None:
                    role = Role.HEADING
            blocks.append(Block(role, text, Location(page=pno, paragraph=para_no, line=start + 1, ocr=pno in ocr_set),
                                page_break_before=first, label=label, level=level))
            first = False
        if notes:
            note_text = " ".join(ln.strip() for ln in notes if ln.strip())
            m = _NOTE_START.match(note_text)
            if m:
                note_text = note_text[len(m.group(1)):].strip()   # the note's own number is a mark, not a word
            blocks.append(Block(Role.FOOTNOTE, note_text, Location(page=pno, line=(note_at or 0) + 1, ocr=pno in ocr_set)))

    if image_only:
        findings.extend(_scan_findings(name, image_only, ocr_read, ocr_unread, len(page_texts), ocr_engine))
    elif not any(b.text.strip() for b in blocks if b.role is Role.PARAGRAPH) and not any(
            b.text.strip() for a in attachments for b in a.blocks):
        # The only error a file gets is the one kept, so it carries what was hidden too.
        held = "" if not hidden else " " + _hidden_finding(name, hidden).message.replace(name, "it", 1)
        findings.append(Finding(codes.NO_TEXT, Severity.ERROR,
                                f"{name} contains no readable text (0 words).{held}", file=name))
    return Document(path=str(path), kind="pdf", blocks=tuple(blocks), metadata=metadata,
                    findings=tuple(findings), image_only_pages=tuple(image_only), attachments=attachments,
                    ocr_pages=tuple(ocr_read))
