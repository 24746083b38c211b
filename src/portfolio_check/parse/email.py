"""E-mail evidence (.eml): headers, the readable body, and attachments parsed in turn.

Apprentices forward threads to their skills coach, so bodies are often multipart/alternative
with a quoted thread below; the plain-text alternative is preferred, the HTML one is turned
into text when it is all there is. A message forwarded as an attachment (``message/rfc822``)
is often the evidence itself: it is read like any attachment, through the shared depth and
count guards of :mod:`.attachments`.
"""
from __future__ import annotations

import email
import email.message
import email.policy
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

import lxml.html

from ..models import Block, DocMetadata, Document, Finding, Location, Role, Severity
from . import codes
from .registry import register
from .attachments import read_attachments
from .sniff import Kind
from .text import text_blocks

MAX_EMAIL_BYTES = 50 * 1024 * 1024
HEADER_FIELDS = ("From", "To", "Cc", "Subject", "Date")


def html_to_text(html: str) -> str:
    if not html.strip():
        return ""
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True)
    try:
        root = lxml.html.document_fromstring(html, parser=parser)
    except Exception:  # noqa: BLE001 - broken HTML: fall back to raw text
        return html
    for bad in root.xpath("//script|//style|//head"):
        bad.drop_tree()
    for br in root.xpath("//br"):
        br.tail = "\n" + (br.tail or "")
    for blk in root.xpath("//p|//div|//tr|//li|//h1|//h2|//h3|//h4|//blockquote|//table"):
        blk.tail = "\n\n" + (blk.tail or "")
    for cell in root.xpath("//td|//th"):
        cell.tail = "\t" + (cell.tail or "")
    return root.text_content()


def _body_text(msg: EmailMessage) -> str:
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeDecodeError):
        content = part.get_payload(decode=True).decode("utf-8", errors="replace")
    if part.get_content_subtype() == "html":
        return html_to_text(content)
    return content


def _attachment(part: EmailMessage, n: int) -> tuple[str, Callable[[], bytes]]:
    """Name and bytes of one attachment. A forwarded message (``message/rfc822``) has no
    payload bytes of its own: it is the parsed message, written back out as an .eml."""
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        inner = inner[0] if isinstance(inner, list) and inner else inner
        subject = str(inner.get("Subject", "")) if isinstance(inner, email.message.Message) else ""
        fname = part.get_filename() or f"{subject or f'forwarded message {n}'}.eml"
        if not fname.lower().endswith(".eml"):
            fname += ".eml"

        def load() -> bytes:
            if isinstance(inner, email.message.Message):
                return inner.as_bytes(policy=email.policy.default)
            return b""
        return fname, load
    fname = part.get_filename() or "attachment"
    return fname, lambda: part.get_payload(decode=True) or b""


@register(Kind.EMAIL)
def parse_email(path: Path, head: bytes) -> Document:
    name = path.name
    size = path.stat().st_size
    if size > MAX_EMAIL_BYTES:
        return Document(path=str(path), kind="email",
                        findings=(Finding(codes.TOO_LARGE, Severity.ERROR,
                                          f"{name} is {size:,} bytes, over the {MAX_EMAIL_BYTES // 2**20} MB limit.",
                                          file=name),))
    with path.open("rb") as fh:
        msg = email.message_from_binary_file(fh, policy=email.policy.default)
    findings: list[Finding] = []
    props: dict[str, str] = {}
    blocks: list[Block] = []
    for i, key in enumerate(HEADER_FIELDS, 1):
        value = msg.get(key)
        if value:
            props[key.lower()] = str(value)
    subject = props.get("subject")
    if subject:
        blocks.append(Block(Role.HEADING, subject, Location(line=0), level=1))
    for b in text_blocks(_body_text(msg), markdown=False):
        blocks.append(b)
    names: list[str] = []
    items = []
    for n, part in enumerate(msg.iter_attachments(), 1):
        fname, load = _attachment(part, n)
        names.append(fname)
        items.append((fname, load))
    attachments, att_findings = read_attachments(path, items)
    findings.extend(att_findings)
    props["attachments"] = names  # type: ignore[assignment]
    if not any(b.text.strip() for b in blocks) and not attachments:
        findings.append(Finding(codes.NO_TEXT, Severity.ERROR, f"{name} contains no readable text (0 words).", file=name))
    meta = DocMetadata(author=props.get("from"), created=props.get("date"), title=subject)
    return Document(path=str(path), kind="email", blocks=tuple(blocks), metadata=meta,
                    findings=tuple(findings), attachments=tuple(attachments), properties=props)
