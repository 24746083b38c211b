"""Turn any evidence file into a :class:`~portfolio_check.models.Document`.

One entry point, :func:`parse_file`, which never raises for bad input: whatever is wrong with
a file comes back as a coded finding on the document, so a cohort scan always reaches its end.
The parser is chosen by what the bytes are (magic numbers), not by what the name says; a
mismatch between the two is itself reported.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Callable

from .formats import ASK, describe_bytes
from ..models import Document, Finding, Severity
from ..safe_io import is_link
from . import codes
from .sniff import OLE_MAGIC, Kind, sniff
# The parsers register themselves with .registry (which they import, not this package), and
# are imported here so the registry is full: no parser imports this module back.
from . import docx as _docx, email as _email, image as _image, pdf as _pdf, text as _text  # noqa: E401,F401
from .registry import _REGISTRY, Parser, register  # noqa: F401

log = logging.getLogger(__name__)


SUPPORTED_SUFFIXES = {".docx", ".docm", ".pdf", ".txt", ".md", ".markdown", ".eml",
                      ".jpg", ".jpeg", ".png", ".tif", ".tiff"}   # images by OCR only
_SUFFIX_KIND = {
    ".docx": Kind.DOCX, ".docm": Kind.DOCX, ".pdf": Kind.PDF, ".txt": Kind.TEXT,
    ".md": Kind.MARKDOWN, ".markdown": Kind.MARKDOWN, ".eml": Kind.EMAIL,
    ".jpg": Kind.IMAGE, ".jpeg": Kind.IMAGE, ".png": Kind.IMAGE, ".tif": Kind.IMAGE, ".tiff": Kind.IMAGE,
}


def _failed(path: Path, kind: str, code: str, message: str) -> Document:
    return Document(path=str(path), kind=kind,
                    findings=(Finding(code, Severity.ERROR, message, file=path.name),))


STRICT_ENV = "PORTFOLIO_CHECK_STRICT"

# Exceptions a library raises when the bytes it reads are bad. Raised from our own code, these
# are still about the file (a missing member, a bad number); anything else raised from our own
# code (TypeError, AttributeError, NameError, AssertionError...) is a bug of ours.
_DAMAGE_TYPES = (ValueError, KeyError, IndexError, LookupError, EOFError, OSError, UnicodeError)


def strict() -> bool:
    """True when internal errors must be raised, not reported (the test suite sets this)."""
    return os.environ.get(STRICT_ENV, "").strip().lower() not in ("", "0", "false", "no")


def is_internal_error(exc: BaseException) -> bool:
    """A bug in portfolio-check rather than a damaged file.

    Decided from where the exception was raised: in a library (lxml, zipfile, pdfminer...)
    it means the library choked on the file; in our own package it is a bug unless it is one
    of the exception types that describe bad data.
    """
    tb = exc.__traceback__
    last = None
    while tb is not None:
        last = tb
        tb = tb.tb_next
    if last is None:
        return False
    origin = os.path.abspath(last.tb_frame.f_code.co_filename)
    ours = origin.startswith(_PACKAGE_DIR)
    return ours and not isinstance(exc, _DAMAGE_TYPES)


_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def internal_error(path: Path, kind: str, exc: BaseException) -> Document:
    """PC199 for a bug of ours: the tutor is told it is not the apprentice's file."""
    log.error("internal error while reading a file: %s", type(exc).__name__)  # no path or text
    return _failed(path, kind, codes.INTERNAL,
                   f"portfolio-check failed on {path.name} ({type(exc).__name__}); this is a fault in "
                   "portfolio-check, not in the file: please report it. The file was not checked.")


def parse_file(path: str | Path) -> Document:
    """Parse one file. Never raises for a bad file; problems come back as findings."""
    path = Path(path)
    name = path.name
    if is_link(path):
        # A link in a shared cohort can point at any file the tutor can read (another cohort,
        # their own notes): reading it would quote that file in the reports.
        return _failed(path, "unknown", codes.LINK,
                       f"{name} is a link to another file, which portfolio-check does not follow; "
                       "put the file itself in the folder.")
    try:
        size = path.stat().st_size
    except OSError as exc:
        return _failed(path, "unknown", codes.UNREADABLE, f"{name}: the file cannot be opened ({exc.strerror}).")
    if size == 0:
        return _failed(path, "unknown", codes.EMPTY, f"{name} is empty (0 bytes): there is nothing to read.")
    try:
        with path.open("rb") as fh:
            head = fh.read(8192)
            if head.startswith(OLE_MAGIC):
                head += fh.read(4 * 1024 * 1024)  # the OLE directory can sit anywhere early on
    except OSError as exc:
        return _failed(path, "unknown", codes.UNREADABLE, f"{name}: the file cannot be read ({exc.strerror}).")

    detected = sniff(head, path.suffix.lower())
    if detected is Kind.LEGACY_DOC:
        return _failed(path, "doc", codes.LEGACY_DOC,
                       f"{name} is a legacy Word 97-2003 (.doc) file, whatever its extension says; "
                       "ask for it to be saved as .docx.")
    if detected is Kind.ENCRYPTED_OOXML:
        return _failed(path, "docx", codes.ENCRYPTED,
                       f"{name} is password-protected: its text cannot be read or counted. "
                       "Ask for an unprotected copy.")
    if detected is Kind.UNKNOWN:
        expected = _SUFFIX_KIND.get(path.suffix.lower())
        what = f"a {expected.value.upper()} file" if expected else "a supported evidence file"
        known = describe_bytes(head)
        if known:
            return _failed(path, "unknown", codes.UNSUPPORTED,
                           f"{name} is {known}, which portfolio-check does not read (it has no text to check); "
                           f"{ASK}, or check it by eye.")
        return _failed(path, "unknown", codes.UNSUPPORTED,
                       f"{name} is not {what}: its content is not DOCX, PDF, e-mail or text "
                       "(it may be corrupt or random data).")

    parser = _REGISTRY[detected]
    extra: list[Finding] = []
    expected = _SUFFIX_KIND.get(path.suffix.lower())
    if expected is None:
        extra.append(Finding(codes.NAME_MISMATCH, Severity.WARNING,
                             f"{name} has no recognised extension; it was read as {detected.label} from its content.",
                             file=name))
    elif not expected.compatible_with(detected):
        extra.append(Finding(codes.NAME_MISMATCH, Severity.WARNING,
                             f"{name} is named as {expected.label} but its content is {detected.label}; "
                             f"it was read as {detected.label}.", file=name))
    try:
        doc = parser(path, head)
    except MemoryError:
        return _failed(path, detected.value, codes.TOO_LARGE, f"{name} is too large to read in the memory allowed.")
    except RecursionError:
        return _failed(path, detected.value, codes.CORRUPT,
                       f"{name} is damaged: its internal structure loops or nests too deeply to read.")
    except Exception as exc:  # noqa: BLE001 - any parser failure is a per-file finding
        if is_internal_error(exc):
            if strict():
                raise
            return internal_error(path, detected.value, exc)
        log.debug("parser failed on a file", exc_info=True)
        return _failed(path, detected.value, codes.CORRUPT,
                       f"{name} could not be read as {detected.label}: it looks damaged ({type(exc).__name__}).")
    findings = tuple(extra) + doc.findings
    errors = [f for f in findings if f.severity is Severity.ERROR]
    if errors and len(findings) > 1:
        # One clear finding per unreadable file: the error that stops it, not its symptoms.
        findings = (errors[0],)
    if findings != doc.findings:
        doc = Document(path=doc.path, kind=doc.kind, blocks=doc.blocks, metadata=doc.metadata,
                       findings=findings, attachments=doc.attachments,
                       image_only_pages=doc.image_only_pages, ocr_pages=doc.ocr_pages,
                       properties=doc.properties)
    return doc
