"""When a piece of evidence was written, and where that date came from.

Why: evidence should originate from the period of the programme (seed 004). A piece dated
before the apprentice started, after the gateway (or the date the tutor checks as of), or in
the future is worth a tutor's look, and a witness testimony dated 2031 is not a valid sign-off.

Sources, in order of trust: a date the text states for itself (a "Date:" field, a sign-off
line, else the latest full date the text mentions: pieces are written after what they
describe), the e-mail's Date header, then the file's metadata (created/modified, which copies
and templates often get wrong). The source is always reported with the date.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import re
from dataclasses import dataclass
from typing import Iterable

from .models import Block, Document, Role

MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
DAY_MONTH_YEAR = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r",?\s+(\d{4})\b", re.I)
MONTH_DAY_YEAR = re.compile(r"\b" + _MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b", re.I)
NUMERIC = re.compile(r"(?<![\d/.\-])(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})(?![\d/.\-])")
ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
DATE_FIELD = re.compile(r"^\s*(?:date|dated|date signed|signed on|date of (?:observation|testimony|review|meeting))"
                        r"\s*[:\-–]\s*(?P<v>.+)$", re.I | re.M)
LABEL_ONLY = re.compile(r"^\s*(?:date|dated|date signed|signed on|date of (?:observation|testimony|review|meeting))"
                        r"\s*[:\-–]?\s*$", re.I)
SIGN_OFF = re.compile(r"^\s*(?:signed|signature)\b.*$", re.I | re.M)
TEXT_ROLES = {Role.PARAGRAPH, Role.HEADING, Role.LIST_ITEM, Role.TABLE_CELL, Role.TEXT_BOX, Role.CAPTION}


@dataclass(frozen=True)
class PieceDate:
    date: dt.date
    source: str        # "stated date field" | "sign-off line" | "latest date in the text" | "e-mail Date header" | "document metadata",
                       # the first three with " (read by OCR)" when the text came from a scan

    def to_dict(self) -> dict:
        return {"date": self.date.isoformat(), "source": self.source}


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    if year < 100:
        year += 2000
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def dates_in(text: str) -> list[dt.date]:
    """Every full date written in the text (UK day-first for numeric dates), in reading order."""
    found: list[tuple[int, dt.date]] = []
    for m in DAY_MONTH_YEAR.finditer(text):
        d = _safe_date(int(m.group(3)), MONTHS[m.group(2).lower()[:3]], int(m.group(1)))
        if d:
            found.append((m.start(), d))
    for m in MONTH_DAY_YEAR.finditer(text):
        d = _safe_date(int(m.group(3)), MONTHS[m.group(1).lower()[:3]], int(m.group(2)))
        if d:
            found.append((m.start(), d))
    for m in ISO.finditer(text):
        d = _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if d:
            found.append((m.start(), d))
    for m in NUMERIC.finditer(text):
        d = _safe_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if d:
            found.append((m.start(), d))
    return [d for _, d in sorted(found, key=lambda x: x[0])]


def parse_date(value: str) -> dt.date | None:
    found = dates_in(value)
    return found[0] if found else None


# Timestamps that belong to a template, not to the file: python-docx's default.docx carries
# 2013-12-23T23:15:00Z as both created and modified, and every document a tool built on it
# saves keeps that stamp unless the tool sets its own. Read as the piece's date it would put
# the evidence years before any programme started.
TEMPLATE_STAMPS = frozenset({"2013-12-23T23:15:00"})


def _template_stamp(value: str | None) -> bool:
    return bool(value) and str(value).strip().rstrip("Zz")[:19] in TEMPLATE_STAMPS


def _metadata_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    v = str(value).strip()
    m = re.match(r"(?:D:)?(\d{4})(\d{2})(\d{2})", v)          # PDF dates: D:20240314...
    if m:
        return _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return parse_date(v)


def stated_date(blocks: Iterable[Block], today: dt.date | None = None) -> PieceDate | None:
    """The date the text gives itself: a date field or sign-off line wins over dates mentioned."""
    body = [b for b in blocks if b.role in TEXT_ROLES and b.text.strip()]
    for label, value in zip(body, body[1:]):      # a form: "Date" | "14/01/2025" in neighbouring cells
        if LABEL_ONLY.match(label.text):
            d = parse_date(value.text)
            if d:
                return PieceDate(d, "stated date field")
    text = "\n".join(b.text for b in body)
    for m in DATE_FIELD.finditer(text):
        d = parse_date(m.group("v"))
        if d:
            return PieceDate(d, "stated date field")
    for m in SIGN_OFF.finditer(text):
        d = parse_date(m.group(0))
        if d:
            return PieceDate(d, "sign-off line")
    # Mentioned dates in the future are plans ("my EPA is booked for 12 June"), not the piece's date.
    mentioned = [d for d in dates_in(text) if d <= (today or dt.date.today())]
    if mentioned:
        return PieceDate(max(mentioned), "latest date in the text")
    return None


def piece_date(doc: Document) -> PieceDate | None:
    """The piece's date and its source, or None when nothing dates it."""
    stated = stated_date(doc.blocks)
    if stated:
        if doc.is_scan:
            # A date read from a scan may be misread ("2021" for "2024"): the source says so.
            return PieceDate(stated.date, f"{stated.source} (read by OCR)")
        return stated
    header = doc.properties.get("date") if doc.kind == "email" else None
    if header:
        try:
            parsed = email.utils.parsedate_to_datetime(str(header))
            return PieceDate(parsed.date(), "e-mail Date header")
        except (TypeError, ValueError):
            pass
    for value in (doc.metadata.created, doc.metadata.modified):
        if _template_stamp(value):
            continue
        d = _metadata_date(value)
        if d:
            return PieceDate(d, "document metadata")
    return None


@dataclass(frozen=True)
class DateProblem:
    code: str           # PC520 before start, PC521 after the gateway / as-of date, PC522 in the future
    message: str


def date_problem(name: str, date: PieceDate, start: dt.date | None, end: dt.date | None,
                 today: dt.date | None = None) -> DateProblem | None:
    """What is wrong with a piece's date, if anything. ``end`` is the gateway or as-of date."""
    today = today or dt.date.today()
    when = f"{date.date:%d %B %Y} ({date.source})"
    if date.source.startswith("latest date in the text"):
        # A date merely mentioned says when the piece was written at the earliest: it can
        # only show that everything in it predates the programme.
        if start and date.date < start:
            return DateProblem("PC520", f"{name}: the latest date it mentions is {date.date:%d %B %Y}, before the "
                                        f"apprentice started on {start:%d %B %Y}: evidence should come from the programme.")
        return None
    if date.date > today:
        return DateProblem("PC522", f"{name} is dated {when}, which is in the future: check the date.")
    if start and date.date < start:
        return DateProblem("PC520", f"{name} is dated {when}, before the apprentice started on {start:%d %B %Y}: "
                                    "evidence should come from the programme.")
    if end and date.date > end:
        return DateProblem("PC521", f"{name} is dated {when}, after the gateway date {end:%d %B %Y}.")
    return None
