"""Plain text and Markdown evidence (CPD logs, CRM exports, notes typed in an editor)."""
from __future__ import annotations

import re
from pathlib import Path

from ..models import Block, Document, Finding, Location, Role, Severity
from . import codes
from .registry import register
from .sniff import Kind

MAX_TEXT_BYTES = 32 * 1024 * 1024

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_SETEXT = re.compile(r"^(=+|-+)\s*$")
_MD_LIST = re.compile(r"^(\s*)([-*+]|\d{1,3}[.)])\s+(.*)$")
_MD_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_MD_INLINE = re.compile(r"(\*\*|__|`)")


def decode_text(data: bytes) -> tuple[str, str | None]:
    """Text and, when UTF-8 failed, the fallback encoding that was used."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), None
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "Windows-1252"


def _paragraphs(lines: list[str]):
    """Group lines into paragraphs separated by blank lines; yield (first line no, text)."""
    buf: list[str] = []
    start = 0
    for i, line in enumerate(lines, 1):
        if line.strip():
            if not buf:
                start = i
            buf.append(line.strip())
        elif buf:
            yield start, buf
            buf = []
    if buf:
        yield start, buf


def text_blocks(text: str, markdown: bool) -> list[Block]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list[Block] = []
    para = 0
    for start, chunk in _paragraphs(lines):
        if not markdown:
            para += 1
            blocks.append(Block(Role.PARAGRAPH, "\n".join(chunk), Location(paragraph=para, line=start)))
            continue
        pending: list[str] = []
        pending_line = start

        def flush():
            nonlocal pending, para
            if pending:
                para += 1
                blocks.append(Block(Role.PARAGRAPH, _MD_INLINE.sub("", " ".join(pending)),
                                    Location(paragraph=para, line=pending_line)))
                pending = []

        for offset, line in enumerate(chunk):
            lineno = start + offset
            m = _MD_HEADING.match(line)
            if m:
                flush()
                para += 1
                blocks.append(Block(Role.HEADING, _MD_INLINE.sub("", m.group(2)), Location(paragraph=para, line=lineno),
                                    level=len(m.group(1))))
                continue
            if _MD_SETEXT.match(line) and pending:
                heading = pending.pop()
                flush()
                para += 1
                blocks.append(Block(Role.HEADING, heading, Location(paragraph=para, line=lineno - 1),
                                    level=1 if line.startswith("=") else 2))
                continue
            if _MD_TABLE_RULE.match(line):
                continue
            if line.startswith("|") or (line.count("|") >= 2 and not pending):
                flush()
                para += 1
                for cell in line.strip().strip("|").split("|"):
                    if cell.strip():
                        blocks.append(Block(Role.TABLE_CELL, _MD_INLINE.sub("", cell.strip()),
                                            Location(paragraph=para, line=lineno)))
                continue
            m = _MD_LIST.match(line)
            if m:
                flush()
                para += 1
                blocks.append(Block(Role.LIST_ITEM, _MD_INLINE.sub("", m.group(3)), Location(paragraph=para, line=lineno),
                                    level=len(m.group(1)) // 2 + 1, label=m.group(2)))
                continue
            if not pending:
                pending_line = lineno
            pending.append(line)
        flush()
    return blocks


def _parse(path: Path, markdown: bool) -> Document:
    name = path.name
    size = path.stat().st_size
    if size > MAX_TEXT_BYTES:
        return Document(path=str(path), kind="markdown" if markdown else "text",
                        findings=(Finding(codes.TOO_LARGE, Severity.ERROR,
                                          f"{name} is {size:,} bytes of text, over the {MAX_TEXT_BYTES // 2**20} MB limit.",
                                          file=name),))
    text, fallback = decode_text(path.read_bytes())
    findings = []
    if fallback:
        findings.append(Finding(codes.ENCODING, Severity.INFO,
                                f"{name} is not UTF-8; it was read as {fallback}.", file=name))
    blocks = text_blocks(text, markdown)
    if not blocks:
        findings.append(Finding(codes.NO_TEXT, Severity.ERROR, f"{name} contains no readable text (0 words).", file=name))
    return Document(path=str(path), kind="markdown" if markdown else "text", blocks=tuple(blocks),
                    findings=tuple(findings))


@register(Kind.TEXT)
def parse_text(path: Path, head: bytes) -> Document:
    return _parse(path, markdown=False)


@register(Kind.MARKDOWN)
def parse_markdown(path: Path, head: bytes) -> Document:
    return _parse(path, markdown=True)
