"""Files inside files: e-mail attachments, forwarded messages and PDF embedded files.

Every container reads its attachments through :func:`read_attachments`, so one set of guards
holds for all of them:

* **depth**: an attachment inside an attachment inside ... is read to :data:`MAX_DEPTH`
  levels below the file in the cohort folder. The depth lives in a context variable, not in
  a parser argument, because each nested file goes back through :func:`parse_file` (which
  knows nothing of nesting); an argument was never passed on, so the old guard never fired.
* **count**: at most :data:`MAX_ATTACHMENTS` attachments are read per container.

What a guard skips is reported by name (PC132), and an attachment whose format is not read is
listed by name (PC119): nothing inside a file is dropped silently. Attachments of attachments
are returned flat, each with the path of its chain (``mail.eml::fwd.eml::report.pdf``), so
the tagger and word counter see them the way they see an e-mail's own files.
"""
from __future__ import annotations

import contextvars
import re
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from .. import safe_io
from ..models import Document, Finding, Severity
from . import codes

MAX_DEPTH = 3
MAX_ATTACHMENTS = 20
READ_SUFFIXES = (".docx", ".docm", ".pdf", ".txt", ".md", ".markdown", ".eml", "")

_DEPTH: contextvars.ContextVar[int] = contextvars.ContextVar("portfolio_check_attachment_depth", default=0)
_UNSAFE = re.compile(r"[\x00-\x1f/\\:*?\"<>|]+")


def safe_name(name: str, fallback: str = "attachment") -> str:
    """A file name that stays inside the temporary folder, whatever the sender wrote."""
    base = _UNSAFE.sub("_", name.replace("\\", "/").rsplit("/", 1)[-1]).strip(" .")
    return base[:120] or fallback


def _listed(names: list[str], limit: int = 10) -> str:
    shown = ", ".join(repr(n) for n in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def read_attachments(container: Path, items: Iterable[tuple[str, Callable[[], bytes]]],
                     what: str = "attachment") -> tuple[tuple[Document, ...], tuple[Finding, ...]]:
    """Parse each ``(name, load_bytes)`` of ``container`` within the depth and count guards.

    Returns the parsed attachments (flattened, nested ones included) and the container's
    findings about them. A problem inside an attachment is a warning on the container, never
    an error: the container's own text is still read.
    """
    from . import parse_file  # late import: the registry imports the parsers that call this

    name = container.name
    depth = _DEPTH.get()
    docs: list[Document] = []
    findings: list[Finding] = []
    too_deep: list[str] = []
    too_many: list[str] = []
    read = 0
    for raw_name, load in items:
        fname = safe_name(raw_name)
        if depth >= MAX_DEPTH:
            too_deep.append(fname)
            continue
        if read >= MAX_ATTACHMENTS:
            too_many.append(fname)
            continue
        read += 1
        suffix = Path(fname).suffix.lower()
        if suffix not in READ_SUFFIXES:
            findings.append(Finding(codes.ATTACHMENT, Severity.INFO,
                                    f"{name}: {what} {fname!r} is not a format portfolio-check reads; "
                                    "it was listed, not read.", file=name))
            continue
        token = _DEPTH.set(depth + 1)
        try:
            with tempfile.TemporaryDirectory(prefix="pc-att-") as tmp:
                tpath = Path(tmp) / fname
                # Through safe_io like every file we write: atomic, private (0600: the bytes
                # are evidence) and never through a link planted where the copy goes.
                safe_io.atomic_write_bytes(tpath, load(), perms=0o600, fsync=False)
                sub = parse_file(tpath)
        except safe_io.UnsafePathError:
            findings.append(Finding(codes.ATTACHMENT, Severity.WARNING,
                                    f"{name}: {what} {fname!r} was not read: its temporary copy could not be "
                                    "written safely (a link was in the way).", file=name))
            continue
        finally:
            _DEPTH.reset(token)
        if sub.kind == "unknown":
            findings.append(Finding(codes.ATTACHMENT, Severity.INFO,
                                    f"{name}: {what} {fname!r} is not a format portfolio-check reads; "
                                    "it was listed, not read.", file=name))
            continue
        for f in sub.findings:
            findings.append(Finding(f.code, Severity.WARNING if f.severity is Severity.ERROR else f.severity,
                                    f"{name}: {what} {fname!r}: {f.message}", file=name, where=f.where))
        chain = f"{container}::{fname}"
        docs.append(Document(path=chain, kind=sub.kind, blocks=sub.blocks, metadata=sub.metadata,
                             findings=sub.findings, image_only_pages=sub.image_only_pages,
                             ocr_pages=sub.ocr_pages, properties=sub.properties))
        for nested in sub.attachments:
            docs.append(Document(path=f"{chain}::{nested.path.split('::', 1)[-1]}", kind=nested.kind,
                                 blocks=nested.blocks, metadata=nested.metadata, findings=nested.findings,
                                 image_only_pages=nested.image_only_pages, ocr_pages=nested.ocr_pages,
                                 properties=nested.properties))
    if too_deep:
        findings.append(Finding(codes.ATTACHMENT_LIMIT, Severity.WARNING,
                                f"{name}: {what}s nested more than {MAX_DEPTH} levels deep were not read: "
                                f"{_listed(too_deep)}. Ask for them as separate files.", file=name))
    if too_many:
        findings.append(Finding(codes.ATTACHMENT_LIMIT, Severity.WARNING,
                                f"{name}: only the first {MAX_ATTACHMENTS} {what}s were read; "
                                f"{len(too_many)} more were not: {_listed(too_many)}.", file=name))
    return tuple(docs), tuple(findings)
