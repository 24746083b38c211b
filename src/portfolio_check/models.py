"""Result types shared by every layer.

Everything a parser, counter, tagger or check produces is a frozen dataclass: results are
values that can be cached, compared in tests and serialised to JSON without surprises.
Front-ends (CLI, notebooks, widgets) only ever read these.
"""
from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass, field
from typing import Any


class Role(str, enum.Enum):
    """What a block of text is in its document; the word counter and tagger key off this."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE_CELL = "table_cell"
    HEADER = "header"
    FOOTER = "footer"
    FOOTNOTE = "footnote"
    ENDNOTE = "endnote"
    TEXT_BOX = "text_box"
    CAPTION = "caption"
    TOC = "toc"


class Severity(str, enum.Enum):
    ERROR = "error"      # blocks the gateway or makes a file unusable
    WARNING = "warning"  # a tutor should look, but it does not block on its own
    INFO = "info"        # context worth knowing


@dataclass(frozen=True)
class Location:
    """Where a block sits: a page for PDFs, a paragraph index for flowing formats."""

    page: int | None = None
    paragraph: int | None = None
    line: int | None = None

    def describe(self) -> str:
        parts = []
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.paragraph is not None:
            parts.append(f"paragraph {self.paragraph}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        return ", ".join(parts) or "document"


@dataclass(frozen=True)
class Block:
    """One run of text with a role.

    ``level`` is the heading level (1 = top) or the list nesting level. ``label`` is the list
    bullet/number Word would draw for a list item ("1.", "a)", "•"): it is kept apart from
    ``text`` because Word counts it, the EPA rule does not, and a tutor may want either.
    ``style`` is the source style name when the format has one. ``page_break_before`` marks a
    block that starts on a new page (explicit break or section break), which the report
    splitter uses to find title pages and annexes. ``bold`` says the whole block is bold.
    """

    role: Role
    text: str
    location: Location = field(default_factory=Location)
    level: int | None = None
    label: str = ""
    style: str = ""
    page_break_before: bool = False
    bold: bool = False
    in_toc_field: bool = False
    table: int | None = None

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["role"] = self.role.value
        return d


@dataclass(frozen=True)
class Finding:
    """A coded, plain-English observation about one file or apprentice.

    ``code`` is stable (PC1xx reading, PC2xx length, PC3xx evidence count, PC4xx coverage,
    PC5xx attestation and dates, PC6xx personal data, PC7xx duplicates and authenticity).
    Messages never contain evidence text or personal data values.
    """

    code: str
    severity: Severity
    message: str
    file: str | None = None
    where: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "file": self.file,
            "where": self.where,
        }


@dataclass(frozen=True)
class DocMetadata:
    author: str | None = None
    created: str | None = None
    modified: str | None = None
    pages: int | None = None
    title: str | None = None


@dataclass(frozen=True)
class Document:
    """What every parser returns: ordered blocks, metadata and reading findings.

    ``kind`` is the format actually detected from the content (docx, pdf, text, markdown,
    email), which may differ from what the file name says. ``attachments`` holds parsed
    attachments of an email. ``image_only_pages`` lists pages with no text layer.
    ``properties`` holds format-specific facts (email headers, Word settings that change the
    count such as ``doNotIncludeSubdocsInStats``).
    """

    path: str
    kind: str
    blocks: tuple[Block, ...] = ()
    metadata: DocMetadata = field(default_factory=DocMetadata)
    findings: tuple[Finding, ...] = ()
    attachments: tuple["Document", ...] = ()
    image_only_pages: tuple[int, ...] = ()
    properties: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def readable(self) -> bool:
        """False when the file could not be read at all (an error finding and no text)."""
        return not any(f.severity is Severity.ERROR for f in self.findings) or bool(self.blocks)

    def all_blocks(self) -> list[Block]:
        """The document's blocks followed by those of its attachments (an e-mail's files)."""
        blocks = list(self.blocks)
        for att in self.attachments:
            blocks.extend(att.blocks)
        return blocks

    def text(self, roles: set[Role] | None = None) -> str:
        return "\n".join(b.text for b in self.blocks if roles is None or b.role in roles)
