"""Witness testimony sign-off: signed, dated, the witness's job title, not the apprentice's own.

Testimonies come as forms: a label and its value in the same line ("Date: 02/09/2024") or in
neighbouring table cells ("Signature" | "C Donnelly"). A label with nothing after it, or with
only another label after it, is a blank field.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..models import Block, Role

LABELS = {
    "signature": re.compile(r"^\s*(signature|signed|sign(ed)? by|witness signature|e-?signature)\s*[:\-–]?\s*(?P<v>.*)$", re.I),
    "date": re.compile(r"^\s*(date|dated|date signed|signed on)\s*[:\-–]?\s*(?P<v>.*)$", re.I),
    "job_title": re.compile(r"^\s*(job title|job role|position|role|title|designation|witness role|witness job title)"
                            r"\s*[:\-–]?\s*(?P<v>.*)$", re.I),
    "name": re.compile(r"^\s*(witness name|name of witness|witness|name)\s*(?::\s*(?P<v>.*)|$)", re.I),
}
DATE_VALUE = re.compile(
    r"\b(\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}(st|nd|rd|th)?\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|"
    r"oct|nov|dec)[a-z]*\.?,?\s+\d{4}|(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(st|nd|rd|th)?,?\s+\d{4})\b",
    re.I)
_ANY_LABEL = re.compile(r"^\s*(signature|signed|date|job title|position|role|witness|name|relationship|apprentice)\b", re.I)
BLANK = re.compile(r"^[\s_.\-–…]*$")


@dataclass(frozen=True)
class Attestation:
    signature: bool
    date: bool
    job_title: bool
    witness_name: str | None

    def missing(self) -> list[str]:
        return [k for k, ok in (("signature", self.signature), ("date", self.date), ("job title", self.job_title)) if not ok]


def _value_after(blocks: list[Block], i: int, inline: str) -> str:
    if inline and not BLANK.match(inline):
        return inline.strip()
    if i + 1 < len(blocks):
        nxt = blocks[i + 1].text.strip()
        if nxt and not _ANY_LABEL.match(nxt) and len(nxt.split()) <= 12:
            return nxt
    return ""


def attestation(blocks: list[Block]) -> Attestation:
    body = [b for b in blocks if b.role not in (Role.HEADER, Role.FOOTER) and b.text.strip()]
    found: dict[str, str] = {}
    for i, b in enumerate(body):
        for line in b.text.splitlines():
            for key, rx in LABELS.items():
                m = rx.match(line)
                if not m or key in found and found[key]:
                    continue
                value = _value_after(body, i, m.group("v") or "")
                if key == "date" and value and not DATE_VALUE.search(value):
                    value = ""
                if key == "job_title" and value and DATE_VALUE.fullmatch(value.strip()):
                    value = ""
                found[key] = value
    # A sign-off typed as one line: "Signed: D. Price, Repairs Manager, 14 January 2025"
    tail = " ".join(b.text for b in body[-8:])
    has_date = bool(found.get("date")) or (not found.get("date") and "date" not in found and bool(DATE_VALUE.search(tail)))
    return Attestation(signature=bool(found.get("signature")), date=has_date,
                       job_title=bool(found.get("job_title")), witness_name=found.get("name") or None)
