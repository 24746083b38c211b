"""Photos and scans saved as images (JPEG, PNG, TIFF), read by OCR when the machine has it.

Why: apprentices photograph a signed witness statement or a customer's card with their phone
and upload the picture; fax-style scans arrive as multi-page TIFF. With Tesseract
(:mod:`.ocr`) each image (each TIFF frame a page) is read like a scanned PDF page: its text is
tagged and quoted, with PC114 saying it came from OCR. Without it the file is reported as an
image portfolio-check cannot read (PC102), as before, with what to install.

Safety: unlike a PDF page (drawn in a child process, :func:`.ocr.render`), a picture file
is decoded here, by Pillow, so everything that sets a decoder's cost is checked on what the
file declares before any pixel is decoded (each check was a hang or a bomb in a hostile-input
run): only these three formats (``formats=``); at most ``MAX_IMAGE_PIXELS`` a frame and a
frame of some size; TIFF tiles not declared far larger than the picture; a JPEG of at most
``MAX_JPEG_SCANS`` scans, counted on all its bytes; frames visited one by one up to the page
budget, never counted first. A JPEG is decoded straight at the reduced size OCR needs
(``draft``), a phone's EXIF rotation is applied so the text is upright, and the OCR budgets of
:mod:`.ocr` apply per file. Nothing is written to disk.
"""
from __future__ import annotations

import io
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
    hint = ocr.unavailable("photos and scans of documents")
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


def read_picture(data: bytes, found: ocr.OcrEngine, budget: ocr.Budget) -> str:
    """OCR text of one picture held in memory (a JPEG, PNG or TIFF's first frame, e.g. a scan
    pasted into a Word document), upright, under the same pixel limit as an image file and the
    file's OCR ``budget`` (the picture already counted by the caller); raises
    :class:`ocr.Unread` saying why a picture was not read."""
    refused = _jpeg_scans_problem(data)
    if refused:
        raise ocr.Unread(refused)
    try:
        with Image.open(io.BytesIO(data), formats=FORMATS) as img:
            why = _too_large(img)
            if why:
                raise ocr.Unread(why)
            png = _frame_png(img)
    except Image.DecompressionBombError:
        raise ocr.Unread("a picture is too large to decode safely") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise ocr.Unread("a picture could not be decoded") from None
    return ocr.read(png, found, budget)


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


MAX_JPEG_SCANS = 64     # a progressive JPEG has about 10; each scan decodes the whole picture again


def _refuse_before_decoding(path: Path) -> str:
    """Why a picture file must not be decoded at all, or "" (checked on all its bytes, read
    in chunks: a JPEG may bury its scans behind megabytes of comments)."""
    scans, tail = 0, b""
    with path.open("rb") as fh:
        first = fh.read(2)
        if first != b"\xff\xd8":
            return ""
        tail = first
        while chunk := fh.read(1 << 20):
            data = tail[-1:] + chunk
            scans += data.count(b"\xff\xda")
            tail = chunk
    return _scans_verdict(scans)


def _jpeg_scans_problem(data: bytes) -> str:
    """A JPEG's start-of-scan markers counted on its bytes (0xFF 0xDA never occurs inside
    entropy-coded data, where 0xFF is always followed by 0x00 or a restart marker): libjpeg
    decodes every scan over the whole picture, so thousands of them hang one file in C code
    that no timer can interrupt."""
    return _scans_verdict(data.count(b"\xff\xda")) if data.startswith(b"\xff\xd8") else ""


def _scans_verdict(scans: int) -> str:
    return f"it is a JPEG of {scans:,} scans, too many to decode safely" if scans > MAX_JPEG_SCANS else ""


def _too_large(img: Image.Image) -> str:
    """Why the current frame must not be decoded, or "": no size, too many pixels, or (TIFF)
    tiles or strips declared far larger than the picture, which libtiff would inflate whole."""
    w, h = img.size
    if w <= 0 or h <= 0:
        return "a frame has no size"
    if w * h > MAX_IMAGE_PIXELS:
        return f"it is {w:,} x {h:,} pixels, too large to decode safely"
    tags = getattr(img, "tag_v2", None)
    if tags is not None:
        tile_w, tile_h = tags.get(322), tags.get(323)          # TileWidth, TileLength
        if tile_w and tile_h and int(tile_w) * int(tile_h) > max(MAX_IMAGE_PIXELS // 4, 4 * w * h):
            return "its tiles are declared far larger than the picture, too large to decode safely"
    return ""


def _single_frame(img: Image.Image) -> bool:
    """True when the picture has no second frame (asked only after its first failed)."""
    try:
        img.seek(1)
    except (EOFError, OSError, ValueError, SyntaxError):
        return True
    return False


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
    budget = ocr.Budget("pages")
    frames = 0
    try:
        refused = _refuse_before_decoding(path)
        with Image.open(path, formats=FORMATS) as img:
            # Frame by frame, never img.n_frames: counting walks the whole frame chain first
            # (quadratic in Pillow for a TIFF of 100,000 one-pixel frames), and an APNG may
            # claim two billion frames. At most MAX_PAGES + 1 frames are ever visited.
            while frames <= ocr.MAX_PAGES:
                try:
                    img.seek(frames)
                except EOFError:
                    break
                except (OSError, ValueError, SyntaxError):
                    if not frames:
                        raise                  # the first picture is damaged: the file is
                    frames += 1
                    unread[frames] = "it is damaged from this page on"
                    break
                frames += 1
                page = frames
                try:
                    budget.next_page()
                except ocr.Unread as exc:
                    unread[page] = str(exc)
                    break
                why = refused or _too_large(img)
                if why:
                    unread[page] = why
                    continue
                try:
                    png = _frame_png(img)
                except (OSError, ValueError, SyntaxError, EOFError):
                    if frames == 1 and _single_frame(img):
                        raise                  # a one-picture file that cannot be decoded is damaged
                    unread[page] = "it could not be decoded"
                    continue
                try:
                    text = ocr.read(png, found, budget)
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
    frames = min(frames, ocr.MAX_PAGES)
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
