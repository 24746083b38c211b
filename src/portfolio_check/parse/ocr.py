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
"""
from __future__ import annotations

import functools
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


@dataclass(frozen=True)
class OcrEngine:
    """The tesseract program found on this machine, and the version it reports."""

    path: str
    version: str

    @property
    def id(self) -> str:
        """What a cached result depends on: another version may read a page differently."""
        return f"tesseract {self.version}/{LANGUAGE}"


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
    if LANGUAGE not in langs.stdout.decode("utf-8", "replace").split():
        return None
    return OcrEngine(exe, first[0].split()[1])


def engine_id() -> str:
    """``tesseract 5.3.0/eng``, or ``none``: part of every cache key of a parsed file."""
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


def recognise(png: bytes, found: OcrEngine, timeout: float = PAGE_TIMEOUT_S) -> str:
    """Tesseract's text for one page image. ``subprocess.run`` kills the child on a timeout
    and on any exception (the per-file budget's alarm included), so no OCR outlives its file."""
    try:
        done = subprocess.run([found.path, "stdin", "stdout", "-l", LANGUAGE, "--psm", "3"],
                              input=png, capture_output=True, timeout=max(1.0, timeout), env=_env(), check=False)
    except subprocess.TimeoutExpired:
        raise Unread(f"OCR took over {max(1.0, timeout):.0f} s") from None
    except OSError as exc:
        raise Unread(f"tesseract could not be run ({exc.strerror or exc})") from None
    if done.returncode != 0:
        raise Unread(f"tesseract failed (exit {done.returncode})")
    return done.stdout.decode("utf-8", "replace")


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
