"""Witness testimony sign-off: signed, dated, the witness's job title, not the apprentice's own.

Testimonies come as forms: a label and its value in the same line ("Date: 02/09/2024") or in
neighbouring table cells ("Signature" | "C Donnelly"). A label with nothing after it, or with
only another label after it, is a blank field.
"""
from __future__ import annotations

import re
from ..dating import parse_date
from ..models import Attestation, Block, Role

LABELS = {
    "signature": re.compile(r"^\s*(signature|signed|sign(ed)? by|witness signature|observer'?s? signature|e-?signature)\s*[:\-–]?\s*(?P<v>.*)$", re.I),
    "date": re.compile(r"^\s*(date|dated|date signed|signed on)\s*[:\-–]?\s*(?P<v>.*)$", re.I),
    "job_title": re.compile(r"^\s*(job title|job role|position|role|title|designation|witness role|witness job title|"
                            r"observer'?s? role|observer'?s? job title|observer'?s? position)"
                            r"\s*[:\-–]?\s*(?P<v>.*)$", re.I),
    "name": re.compile(r"^\s*(witness name|name of witness|observer name|observed by|witness|observer|name)"
                       r"\s*(?::\s*(?P<v>.*)|$)", re.I),
    "relationship": re.compile(r"^\s*(relationship( to (the )?apprentice)?|capacity|how (do )?you know)\s*[:\-–]?\s*(?P<v>.*)$",
                               re.I),
}
DATE_VALUE = re.compile(
    r"\b(\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}(st|nd|rd|th)?\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|"
    r"oct|nov|dec)[a-z]*\.?,?\s+\d{4}|(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(st|nd|rd|th)?,?\s+\d{4})\b",
    re.I)
_ANY_LABEL = re.compile(r"^\s*(signature|signed|date|job title|position|role|witness|name|relationship|apprentice)\b", re.I)
BLANK = re.compile(r"^[\s_.\-–…]*$")


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
    # A sign-off typed as one line: "Signed: M. Reid, Team Leader, 14 January 2025". The parts
    # after the name that are not the date are the signer's role.
    sig = found.get("signature", "")
    parts = [p.strip() for p in re.split(r"[,;(|)]| - | – ", sig) if p.strip()]
    role_parts = [p for p in parts[1:] if re.search(r"[A-Za-z]{3}", p) and not DATE_VALUE.search(p)]
    inline_date = next((DATE_VALUE.search(p).group(0) for p in parts if DATE_VALUE.search(p)), None)
    if parts and DATE_VALUE.search(parts[0]):        # "Signed: 14/01/2025" is a date, not a name
        parts = parts[1:]
    job_title = found.get("job_title") or (role_parts[0] if role_parts else "")
    date_text = found.get("date") or inline_date or ""
    tail = " ".join(b.text for b in body[-8:])
    if not date_text and "date" not in found:
        m = DATE_VALUE.search(tail)
        date_text = m.group(0) if m else ""
    date_value = None
    if date_text:
        d = parse_date(date_text)
        date_value = d.isoformat() if d else None
    return Attestation(signature=bool(sig), date=bool(date_text), job_title=bool(job_title),
                       witness_name=(found.get("name") or None), relationship=bool(found.get("relationship")),
                       date_value=date_value, job_title_value=job_title or None)
