"""Decide what a file is from its first bytes.

Apprentices rename files, e-mail clients strip extensions and Word's "Save as" lies less than
people do: the content decides which parser runs.
"""
from __future__ import annotations

import enum

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
IMAGE_MAGICS = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*")   # JPEG, PNG, TIFF: read by OCR
_EMAIL_HEADERS = (b"from:", b"to:", b"subject:", b"date:", b"received:", b"mime-version:",
                  b"message-id:", b"return-path:", b"content-type:", b"x-", b"delivered-to:", b"cc:")


class Kind(enum.Enum):
    DOCX = "docx"
    PDF = "pdf"
    TEXT = "text"
    MARKDOWN = "markdown"
    EMAIL = "email"
    LEGACY_DOC = "doc"
    ENCRYPTED_OOXML = "encrypted"
    IMAGE = "image"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return {"docx": "a Word document (DOCX)", "pdf": "a PDF", "text": "plain text",
                "markdown": "Markdown text", "email": "an e-mail (EML)",
                "image": "an image (JPEG, PNG or TIFF)"}.get(self.value, self.value)

    def compatible_with(self, other: "Kind") -> bool:
        text_like = {Kind.TEXT, Kind.MARKDOWN, Kind.EMAIL}
        return self is other or (self in text_like and other in text_like)


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head[:4096] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    sample = head[:4096]
    try:
        sample.decode("utf-8")
        return True
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still UTF-8.
        if exc.start >= len(sample) - 3:
            return True
    # Legacy 8-bit text: mostly printable bytes.
    printable = sum(1 for b in sample if b in (9, 10, 13) or 32 <= b < 127 or b >= 160)
    return printable / max(1, len(sample)) > 0.95


def _looks_like_email(head: bytes) -> bool:
    lines = head.lstrip().splitlines()[:8]
    hits = sum(1 for ln in lines if ln.lower().startswith(_EMAIL_HEADERS))
    return hits >= 2


def sniff(head: bytes, suffix: str = "") -> Kind:
    """The content kind of a file from its first bytes (and its suffix only to split text kinds)."""
    if head.startswith(OLE_MAGIC):
        # Encrypted OOXML is an OLE container holding an "EncryptedPackage" stream; the stream
        # name is stored in UTF-16 in the directory, usually in the first sectors.
        # The caller passes enough of an OLE file to include its directory.
        if "EncryptedPackage".encode("utf-16-le") in head:
            return Kind.ENCRYPTED_OOXML
        return Kind.LEGACY_DOC
    if head.startswith(ZIP_MAGICS):
        return Kind.DOCX
    if head.startswith(IMAGE_MAGICS):
        return Kind.IMAGE
    if b"%PDF-" in head[:1024]:
        return Kind.PDF
    if _looks_like_text(head):
        if suffix == ".eml" or _looks_like_email(head):
            return Kind.EMAIL
        if suffix in (".md", ".markdown"):
            return Kind.MARKDOWN
        return Kind.TEXT
    return Kind.UNKNOWN
