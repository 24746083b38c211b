"""Photos and scans saved as images (JPEG, PNG, TIFF), read by OCR when the machine has it.

Why: apprentices photograph a signed witness statement or a customer's card with their phone
and upload the picture; fax-style scans arrive as multi-page TIFF. With Tesseract
(:mod:`.ocr`) each image (each TIFF frame a page) is read like a scanned PDF page: its text is
tagged and quoted, with PC114 saying it came from OCR. Without it the file is reported as an
image portfolio-check cannot read (PC102), as before, with what to install.

Safety: Pillow opens only these three formats (``formats=``), the pixel size is checked
before any pixel is decoded (``MAX_IMAGE_PIXELS``), a JPEG is decoded straight at the reduced
size OCR needs (``draft``), a phone's EXIF rotation is applied so the text is upright, and the
OCR budgets of :mod:`.ocr` apply per file. Nothing is written to disk.
"""
from __future__ import annotations

import io
import time
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from ..models import Block, DocMetadata, Document, Finding, Location, Role, Severity
from . import codes, ocr
from .formats import ASK, describe_bytes
from .registry import register
from .sniff import Kind

FORMATS = ("JPEG", "PNG", "TIFF")
MAX_IMAGE_PIXELS = 60_000_000     # a 48-megapixel phone photo is 48 million


def _unread(path: Path, what: str) -> Document:
    hint = ("OCR is off (PORTFOLIO_CHECK_OCR=0)" if ocr.disabled() else
            "install tesseract-ocr to read photos and scans of documents (README, 'Scanned evidence')")
    return Document(path=str(path), kind="image", findings=(Finding(
        codes.UNSUPPORTED, Severity.ERROR,
        f"{path.name} is {what}, which portfolio-check reads only by OCR ({hint}); {ASK}, or check it by eye.",
        file=path.name),))


def _frame_png(img: Image.Image) -> bytes:
    """The current frame upright, greyscale, at most ``ocr.MAX_PIXELS``, as PNG bytes."""
    w, h = img.size
    scale = min(1.0, (ocr.MAX_PIXELS / (w * h)) ** 0.5)
    if img.format == "JPEG" and scale < 1.0:
        img.draft("L", (max(1, int(w * scale)), max(1, int(h * scale))))
    frame = ImageOps.exif_transpose(img).convert("L")
    if frame.width * frame.height > ocr.MAX_PIXELS:
        frame.thumbnail((max(1, int(frame.width * scale)), max(1, int(frame.height * scale))))
    buf = io.BytesIO()
    frame.save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


def read_picture(data: bytes, found: ocr.OcrEngine, timeout: float) -> str:
    """OCR text of one picture held in memory (a JPEG, PNG or TIFF's first frame, e.g. a scan
    pasted into a Word document), under the same pixel limit as an image file; raises
    :class:`ocr.Unread` saying why a picture was not read."""
    try:
        with Image.open(io.BytesIO(data), formats=FORMATS) as img:
            if img.size[0] * img.size[1] > MAX_IMAGE_PIXELS:
                raise ocr.Unread("a picture is too large to decode safely")
            return ocr.recognise(_frame_png(img), found, timeout=timeout)
    except Image.DecompressionBombError:
        raise ocr.Unread("a picture is too large to decode safely") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise ocr.Unread("a picture could not be decoded") from None


def ocr_blocks(text: str, page: int, start: int) -> list[Block]:
    """OCR text of one page as paragraph blocks (blank lines part them; wraps end in a space)."""
    blocks, buf, first_line = [], "", 0
    lines = ocr.as_lines(text).split("\n")
    for i, line in enumerate(lines + [""]):
        if line.strip():
            if not buf:
                first_line = i
            buf += line
            continue
        if buf.strip():
            blocks.append(Block(Role.PARAGRAPH, " ".join(buf.split()),
                                Location(page=page, paragraph=start + len(blocks) + 1, line=first_line + 1, ocr=True),
                                page_break_before=not blocks))
        buf = ""
    return blocks


@register(Kind.IMAGE)
def parse_image(path: Path, head: bytes) -> Document:
    name = path.name
    what = describe_bytes(head) or "an image"
    found = ocr.engine()
    if found is None:
        return _unread(path, what)
    blocks: list[Block] = []
    read: list[int] = []
    unread: dict[int, str] = {}
    started = time.monotonic()
    try:
        with Image.open(path, formats=FORMATS) as img:
            frames = getattr(img, "n_frames", 1)
            for i in range(frames):
                page = i + 1
                if len(read) >= ocr.MAX_PAGES:
                    unread[page] = f"only the first {ocr.MAX_PAGES} pages of a file are read by OCR"
                    continue
                left = ocr.TIME_BUDGET_S - (time.monotonic() - started)
                if left <= 0:
                    unread[page] = f"OCR of one file is limited to {ocr.TIME_BUDGET_S:.0f} s"
                    continue
                img.seek(i)
                if img.size[0] * img.size[1] > MAX_IMAGE_PIXELS:
                    unread[page] = (f"it is {img.size[0]:,} x {img.size[1]:,} pixels, too large to decode safely")
                    continue
                try:
                    text = ocr.recognise(_frame_png(img), found, timeout=min(ocr.PAGE_TIMEOUT_S, left))
                except ocr.Unread as exc:
                    unread[page] = str(exc)
                    continue
                page_blocks = ocr_blocks(text, page, len(blocks))
                if sum(len(b.text.split()) for b in page_blocks) < 3:
                    unread[page] = "OCR found no words on it"
                    continue
                blocks += page_blocks
                read.append(page)
    except Image.DecompressionBombError:
        # Pillow refuses at open what is far over its own limit; the same outcome as ours.
        return Document(path=str(path), kind="image", findings=(Finding(
            codes.IMAGE_ONLY, Severity.ERROR,
            f"{name} is {what} that OCR did not read (it is too large to decode safely). "
            "It still counts as a submitted piece.", file=name),))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        return Document(path=str(path), kind="image", findings=(Finding(
            codes.CORRUPT, Severity.ERROR,
            f"{name} is {what} that cannot be decoded ({type(exc).__name__}): it looks damaged. "
            "Ask for the picture again, or for the document saved as .docx or PDF.", file=name),))
    pages = tuple(range(1, frames + 1))
    findings = []
    if read:
        findings.append(Finding(codes.OCR_READ, Severity.WARNING,
                                f"{name}: {what} read by OCR ({found.id}); quotes from OCR text may hold misread "
                                "words, and handwriting and signatures are not read: check the image by eye.",
                                file=name))
    if unread:
        reasons = "; ".join(sorted(set(unread.values())))
        if not read:
            findings.append(Finding(codes.IMAGE_ONLY, Severity.ERROR,
                                    f"{name} is {what} that OCR did not read ({reasons}). "
                                    "It still counts as a submitted piece.", file=name))
        else:
            shown = ", ".join(map(str, sorted(unread)[:10])) + ("…" if len(unread) > 10 else "")
            findings.append(Finding(codes.IMAGE_ONLY, Severity.WARNING,
                                    f"{name}: page(s) {shown} not read by OCR ({reasons}).", file=name))
    return Document(path=str(path), kind="image", blocks=tuple(blocks), metadata=DocMetadata(pages=frames),
                    findings=tuple(findings), image_only_pages=pages, ocr_pages=tuple(read))
