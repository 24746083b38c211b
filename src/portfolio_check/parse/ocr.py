"""Reading scanned PDF pages with Tesseract OCR, when the machine has it.

Why: witness testimonies, observation forms and customer letters often reach a portfolio as
scans of signed paper, with no text layer. Unread, such a piece is a submitted piece that
evidences nothing; read, its words can be tagged and quoted like any other piece. OCR is
optional: without the ``tesseract`` program (Debian/Ubuntu: ``apt install tesseract-ocr``)
a scanned page is reported as unread (PC113), as before. ``PORTFOLIO_CHECK_OCR=0`` turns it
off on a machine that has it.

What OCR cannot do is said, not guessed: it reads printed words, not handwriting, so a
signature or a handwritten job title on a scanned form is never taken as present or absent
(the witness check still asks the tutor to look at the scan).

Safety, because a shared drive is hostile ground:

* PDFium renders the page into pixels in a child process of its own, which caps its address
  space (``RENDER_MEMORY_BYTES``) and is killed at the page's timeout: a page can hide a
  decompression bomb where no check in this process sees it (a form, an annotation, a
  pattern, a JPEG larger than its dictionary says). Only the pixels reach tesseract, on its
  standard input, with no shell, a clean environment and a timeout. Nothing from the file
  is executed and nothing is written to disk (no temporary image or text files: evidence
  never leaves memory).
* Budgets: a page is rendered at 300 dpi but never over ``MAX_PIXELS``; at most
  ``MAX_PAGES`` pages and ``TIME_BUDGET_S`` seconds of OCR (drawing included) per file. A
  page over a budget stays unread and the finding says so.
* One OCR thread per call (``OMP_THREAD_LIMIT=1``): a scan already runs one worker per core,
  and Tesseract's own threads only slow that down (measured: 2.2 s a page on one thread
  against 6-7 s on two while another worker ran).

Pages upright whatever way they were scanned or photographed (:func:`read`): a page turned
90 or 180 degrees with no EXIF tag to say so reads as gibberish. When a reading looks like
one (hardly any common English words), Tesseract's orientation detection (OSD) says which
way the page is turned, and the page is turned upright and read again, within the same
budgets; upright pages pay nothing.
"""
from __future__ import annotations

import functools
import io
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass

DPI = 300
MAX_PIXELS = 12_000_000          # A4 at 300 dpi is 8.7 million
MAX_PAGES = 20
TIME_BUDGET_S = 60.0
PAGE_TIMEOUT_S = 30.0
LANGUAGE = "eng"

# Tesseract reads a capital I as a vertical bar or an exclamation mark, alone ("| am") or at
# the start of a word ("|t was", "|'m"); "I am" set tight comes out as "|am".
_LONE_I = re.compile(r"(?m)(^|(?<=\s))[|!](?=\s+[a-z'’]|[a-z'’])")
_I_AM = re.compile(r"\bIam\b")

# Orientation. Why only when a reading looks like gibberish, and not OSD on every page: OSD
# costs about as much as the reading itself (0.75 s against 0.93 s on a 200 dpi A4 page here;
# on a downscaled copy 0.53 s, and its confidence fell from 13 to 3.8), and ``--psm 1`` (OSD
# inside the reading) still made every upright page 17 % slower. Most pages are upright: they
# keep their one call. A page turned a quarter counter-clockwise or upside down reads as
# gibberish ("‘puedo Jay UO xDeG aq Pjnom"; a quarter clockwise Tesseract turns by itself), in
# which almost no word is one of the commonest English words: 2-4 % of its words, against
# 38-53 % on the dev cohorts' scans and generated statements (a form of names and figures can
# fall under the line too: it costs one OSD call, and OSD leaves it as it is). Only then is
# OSD run, on the page as read (not downscaled: it runs rarely and needs the characters'
# detail), the page turned as it says when it is confident enough, and the new reading kept
# only when it has more common words than the first. OSD failing ("Too few characters", a
# timeout, no budget left) keeps the first reading.
_WORD = re.compile(r"[A-Za-z]+")
_COMMON = frozenset("""a about after all also an and any are as at be because been but by can could did do for
from had has have he her him his how i if in into is it its me more my no not of on one or our out she so
that the their them then there they this to up us was we were what when which who will with would you your""".split())
MIN_COMMON_SHARE = 0.15      # of a reading's words; under it the page may be turned
MIN_OSD_CHARACTERS = 50      # Tesseract's own minimum for OSD (min_characters_to_try)
# OSD's confidence in the right answer was 6.3-8.0 on the dev customer letter turned each way,
# 11-13 on the dev witness testimony, 10-16 on generated pages; under 2 it is taken for a guess
# (and a wrong turn is caught anyway: the second reading must have more common words).
MIN_ORIENTATION_CONFIDENCE = 2.0
_ROTATE = re.compile(r"^Rotate: (\d+)\s*$", re.M)
_CONFIDENCE = re.compile(r"^Orientation confidence: ([\d.]+)\s*$", re.M)


@dataclass(frozen=True)
class OcrEngine:
    """The tesseract program found on this machine, and the version it reports."""

    path: str
    version: str
    osd: bool = False        # osd.traineddata is there: turned pages are read upright

    @property
    def id(self) -> str:
        """What a cached result depends on: another version may read a page differently, and
        without OSD a turned page stays gibberish (``+osd``)."""
        return f"tesseract {self.version}/{LANGUAGE}" + ("+osd" if self.osd else "")


def disabled() -> bool:
    """True when the user turned OCR off (``PORTFOLIO_CHECK_OCR=0``)."""
    return os.environ.get("PORTFOLIO_CHECK_OCR", "1").strip().lower() in ("0", "no", "off", "false")


@functools.lru_cache(maxsize=1)
def engine() -> OcrEngine | None:
    """The OCR engine, or None when OCR is off or the machine has no usable tesseract."""
    if disabled():
        return None
    exe = shutil.which("tesseract")
    if exe is None:
        return None
    try:
        out = subprocess.run([exe, "--version"], capture_output=True, timeout=10, env=_env(), check=False)
        langs = subprocess.run([exe, "--list-langs"], capture_output=True, timeout=10, env=_env(), check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    first = (out.stdout or out.stderr).decode("utf-8", "replace").splitlines()
    if not first or not first[0].startswith("tesseract "):
        return None
    listed = langs.stdout.decode("utf-8", "replace").split()
    if LANGUAGE not in listed:
        return None
    # Without Tesseract's orientation data (osd.traineddata) pages are read as they lie.
    return OcrEngine(exe, first[0].split()[1], osd="osd" in listed)


def engine_id() -> str:
    """``tesseract 5.3.0/eng+osd``, or ``none``: part of every cache key of a parsed file."""
    found = engine()
    return found.id if found else "none"


def _env() -> dict[str, str]:
    env = {"OMP_THREAD_LIMIT": "1", "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C"}
    if os.environ.get("TESSDATA_PREFIX"):
        env["TESSDATA_PREFIX"] = os.environ["TESSDATA_PREFIX"]
    return env


class Unread(Exception):
    """A page OCR could not read; the message says why, in plain words."""


def unavailable(what: str) -> str:
    """Why OCR did not run on a file, with what to do about it (``what``: "scans", ...)."""
    if disabled():
        return "OCR is off (PORTFOLIO_CHECK_OCR=0)"
    return f"install tesseract-ocr to read {what} (README, 'Scanned evidence')"


class Budget:
    """One file's OCR budget: ``MAX_PAGES`` pages tried (blank ones too) and ``TIME_BUDGET_S``
    seconds from its first page, drawing included. ``unit`` names the pages in the message."""

    def __init__(self, unit: str = "scanned pages") -> None:
        self.unit = unit
        self.tried = 0
        self.started: float | None = None

    def left(self) -> float:
        """Seconds a call may still take (a page's timeout at most); raises Unread when none."""
        if self.started is None:
            self.started = time.monotonic()
        left = TIME_BUDGET_S - (time.monotonic() - self.started)
        if left <= 0:
            raise Unread(f"OCR of one file is limited to {TIME_BUDGET_S:.0f} s")
        return min(PAGE_TIMEOUT_S, left)

    def next_page(self) -> float:
        """Count one more page tried and return the seconds it may take; raises Unread when
        the file's page or time budget is spent."""
        if self.tried >= MAX_PAGES:
            raise Unread(f"only the first {MAX_PAGES} {self.unit} of a file are read by OCR")
        timeout = self.left()
        self.tried += 1
        return timeout


# The renderer runs in a child process of its own: PDFium decodes every image a page draws
# (in form XObjects, annotations and patterns too, and at the size the JPEG inside says, not
# the size its dictionary claims), in C code that no in-process timer can stop. The child caps
# its own address space first, so a decompression bomb fails there, not in the scan worker;
# the parent kills it at the page's timeout. It needs only pypdfium2 and Pillow, so it runs
# with ``python -I`` (no environment variables, no user site, no current folder on the path).
RENDER_MEMORY_BYTES = 1536 << 20
_RENDER_CHILD = """
import sys
try:
    import resource
    limit = int(sys.argv[4])
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
except (ImportError, ValueError, OSError):
    pass
import io
import pypdfium2 as pdfium
path, index, max_pixels, dpi = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[5])
pdf = pdfium.PdfDocument(path)
page = pdf[index]
width, height = page.get_size()
if width <= 0 or height <= 0:
    sys.exit(3)
scale = min(dpi / 72, (max_pixels / (width * height)) ** 0.5)
image = page.render(scale=scale, grayscale=True).to_pil()
buf = io.BytesIO()
image.save(buf, format="PNG", compress_level=1)
sys.stdout.buffer.write(buf.getvalue())
"""


def render(path: str, index: int, timeout: float = PAGE_TIMEOUT_S) -> bytes:
    """Page ``index`` (from 0) of the PDF at ``path`` as a greyscale PNG, at 300 dpi or the
    largest scale under ``MAX_PIXELS``, rendered in a memory-capped child process."""
    try:
        done = subprocess.run([sys.executable, "-I", "-c", _RENDER_CHILD, str(path), str(index), str(MAX_PIXELS),
                               str(RENDER_MEMORY_BYTES), str(DPI)],
                              capture_output=True, timeout=max(1.0, timeout), env=_env(), check=False)
    except subprocess.TimeoutExpired:
        raise Unread(f"drawing the page took over {max(1.0, timeout):.0f} s") from None
    except OSError as exc:
        raise Unread(f"the page could not be drawn ({exc.strerror or exc})") from None
    if done.returncode == 3:
        raise Unread("it has no size")
    if done.returncode != 0 or not done.stdout.startswith(b"\x89PNG"):
        raise Unread("drawing the page needed more memory or time than a page may have")
    return done.stdout


def _tesseract(png: bytes, found: OcrEngine, args: list[str], timeout: float,
               what: str) -> subprocess.CompletedProcess:
    """One Tesseract run on a page image: image on stdin, result on stdout, no shell, a clean
    environment. ``subprocess.run`` kills the child on a timeout and on any exception (the
    per-file budget's alarm included), so no OCR outlives its file."""
    try:
        return subprocess.run([found.path, "stdin", "stdout", *args], input=png, capture_output=True,
                              timeout=max(1.0, timeout), env=_env(), check=False)
    except subprocess.TimeoutExpired:
        raise Unread(f"{what} took over {max(1.0, timeout):.0f} s") from None
    except OSError as exc:
        raise Unread(f"tesseract could not be run ({exc.strerror or exc})") from None


def recognise(png: bytes, found: OcrEngine, timeout: float = PAGE_TIMEOUT_S) -> str:
    """Tesseract's text for one page image."""
    done = _tesseract(png, found, ["-l", LANGUAGE, "--psm", "3"], timeout, "OCR")
    if done.returncode != 0:
        raise Unread(f"tesseract failed (exit {done.returncode})")
    return done.stdout.decode("utf-8", "replace")


def read(png: bytes, found: OcrEngine, budget: Budget) -> str:
    """Tesseract's text for one page image, turned upright first when its reading looks like
    gibberish (see ``_COMMON``). Every call (reading, OSD, second reading) is under the file's
    ``budget`` (the page already counted by the caller); only the first can raise
    :class:`Unread`: once a page has a reading, orientation can only improve on it."""
    text = recognise(png, found, timeout=budget.left())
    if not found.osd or not _looks_turned(text):
        return text
    try:
        turn = orientation(png, found, timeout=budget.left())
        if not turn:
            return text
        again = recognise(_turned(png, turn), found, timeout=budget.left())
    except Unread:
        return text
    return again if _common_words(again) > _common_words(text) else text


def _common_words(text: str) -> int:
    return sum(w.lower() in _COMMON for w in _WORD.findall(text))


def _looks_turned(text: str) -> bool:
    """True when a reading has enough characters for OSD and few common English words."""
    if len("".join(text.split())) < MIN_OSD_CHARACTERS:
        return False
    return _common_words(text) < MIN_COMMON_SHARE * len(_WORD.findall(text))


def orientation(png: bytes, found: OcrEngine, timeout: float = PAGE_TIMEOUT_S) -> int:
    """Degrees (90, 180, 270) the page must be turned clockwise to be upright, by Tesseract's
    OSD (``--psm 0``), or 0: upright, not sure enough, or OSD could not tell (too few
    characters, exit 1). Raises :class:`Unread` only on a timeout or when it cannot run."""
    done = _tesseract(png, found, ["--psm", "0"], timeout, "orientation detection")
    out = done.stdout.decode("utf-8", "replace")
    rotate, confidence = _ROTATE.search(out), _CONFIDENCE.search(out)
    if done.returncode != 0 or not rotate or not confidence:
        return 0
    turn = int(rotate.group(1))
    if turn not in (90, 180, 270) or float(confidence.group(1)) < MIN_ORIENTATION_CONFIDENCE:
        return 0
    return turn


def _turned(png: bytes, turn: int) -> bytes:
    """The page image turned ``turn`` degrees clockwise, as PNG. The PNG is this package's own
    (drawn by :func:`render` or made by :mod:`.image`), never over ``MAX_PIXELS``: checked
    again before its pixels are decoded."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(png), formats=("PNG",)) as img:
            if img.width * img.height > MAX_PIXELS:
                raise Unread("the page is too large to turn")
            # Pillow's ROTATE_n turns counter-clockwise.
            upright = img.transpose({90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180,
                                     270: Image.Transpose.ROTATE_90}[turn])
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError):
        raise Unread("the page could not be turned") from None
    buf = io.BytesIO()
    upright.save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


def as_lines(text: str) -> str:
    """Tesseract's output as the PDF parser's page text: a paragraph's wrapped lines end with
    a space (as PDFium marks a soft wrap), paragraphs stay apart, a lone ``|`` becomes ``I``.

    Tesseract sometimes leaves a blank line inside a paragraph; a blank line between a line
    that ends mid-sentence and one that starts in lower case is taken for one of those."""
    text = _I_AM.sub("I am", _LONE_I.sub(lambda m: m.group(1) + "I", text.replace("\f", "\n")))
    lines = [ln.rstrip() for ln in text.split("\n")]
    kept: list[str] = []
    for i, line in enumerate(lines):
        if not line and kept and kept[-1] and not kept[-1].endswith((".", "!", "?", ":")):
            nxt = next((ln for ln in lines[i + 1:] if ln.strip()), "")
            if nxt[:1].islower():
                continue
        kept.append(line)
    out: list[str] = []
    for i, line in enumerate(kept):
        following = kept[i + 1].strip() if i + 1 < len(kept) else ""
        out.append(line + " " if line and following else line)
    return "\n".join(out)
