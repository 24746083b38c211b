"""One evidence file, analysed once: parse, tag, and every check that needs its text.

This is the unit of work a scan sends to a worker process and caches by content hash. The
result keeps what the gateway checks, reports and widgets need (suggestions with their
quotes, per-file findings, a duplicate fingerprint) and not the full text, so a cohort of
thousands of files never sits in memory at once.
"""
from __future__ import annotations

import dataclasses
import hashlib
import re
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .tagging.engine import TaggingEngine

from .budget import MAX_TAG_CHARS, OverBudget
from .checks.pii import KIND_LABEL, PiiScan, redact, scan_pii
from .checks.witness import attestation
from .models import Block, Document, EvidenceResult, Finding, Role, Severity
from .wordcount import count_words

ANALYSIS_VERSION = "2"          # bump when anything below changes what a cached result holds
SHINGLE = 5
N_HASHES = 64
_PRIME = (1 << 61) - 1
_SEEDS = [(1 + 2 * i * 7919 % _PRIME, 3 + i * 104729 % _PRIME) for i in range(N_HASHES)]
READ_ERRORS = {"PC101", "PC102", "PC104", "PC105", "PC106", "PC107", "PC108", "PC109", "PC112", "PC120", "PC130", "PC138", "PC139", "PC199"}


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def minhash(text: str) -> tuple[int, ...]:
    """MinHash signature of word 5-shingles, for near-duplicate detection across a cohort."""
    words = re.findall(r"\w+", text.lower())
    if len(words) < SHINGLE:
        return ()
    shingles = {zlib.crc32(" ".join(words[i:i + SHINGLE]).encode()) for i in range(len(words) - SHINGLE + 1)}
    return tuple(min((a * s + b) % _PRIME for s in shingles) for a, b in _SEEDS)


def _per_file_findings(doc: Document, blocks: list[Block], name: str, etype: str, suggestions, readable: bool,
                       apprentice: str | None, employer: str | None, pii: PiiScan) -> list[Finding]:
    out: list[Finding] = []
    for hit in pii.hits:
        out.append(Finding(hit.code, Severity.ERROR,
                           f"{name}: {KIND_LABEL[hit.kind]} that looks like a customer's is not anonymised "
                           f"({hit.masked}, {hit.where}).", file=name, where=hit.where))
    if etype == "witness_testimony":
        if doc.image_only_pages and not any(b.text.strip() for b in doc.blocks if b.role is not Role.FOOTER):
            out.append(Finding("PC503", Severity.WARNING,
                               f"{name}: a scanned witness testimony; its signature, date and job title cannot be "
                               "checked automatically. Check the scan by eye.", file=name))
        else:
            att = attestation(list(doc.blocks))
            missing = att.missing()
            if missing:
                out.append(Finding("PC501", Severity.ERROR,
                                   f"{name}: the witness testimony has no {' and no '.join(missing)}.", file=name))
            if apprentice and att.witness_name and att.witness_name.strip().lower() == apprentice.strip().lower():
                out.append(Finding("PC502", Severity.ERROR,
                                   f"{name}: the witness named is the apprentice; a testimony must be written by someone else.",
                                   file=name))
    if etype == "policy_document":
        out.append(Finding("PC703", Severity.WARNING,
                           f"{name} reads as a policy or procedure document, not the apprentice's own work: "
                           "it evidences what the organisation says, not what the apprentice did.", file=name))
    if etype == "training_certificate":
        out.append(Finding("PC704", Severity.INFO,
                           f"{name} is a certificate: it shows training was completed, not what was learned or applied.",
                           file=name))
    if readable and not doc.image_only_pages and not any(s.accepted for s in suggestions):
        out.append(Finding("PC403", Severity.WARNING,
                           f"{name} does not clearly evidence any KSB; check it belongs in the portfolio.", file=name))
    return out


def analyse_file(path: Path, name: str, engine: "TaggingEngine", apprentice: str | None = None,
                 employer: str | None = None, sha256: str | None = None) -> EvidenceResult:
    """Parse, tag and check one evidence file. Never raises for bad input."""
    from .parse import parse_file

    doc = parse_file(path)
    if sum(len(b.text) for b in doc.all_blocks()) > MAX_TAG_CHARS:
        raise OverBudget(f"its text is over the {MAX_TAG_CHARS:,}-character budget for one file")
    tag = engine.tag_document(doc, "portfolio", file_name=path.name)
    blocks = doc.all_blocks()
    readable = not any(f.code in READ_ERRORS for f in doc.findings)
    text = "\n".join(b.text for b in blocks if b.role not in (Role.HEADER, Role.FOOTER))
    etype = tag.evidence_type.type if tag.evidence_type else "other"
    if doc.image_only_pages and "witness" in path.name.lower():
        etype = "witness_testimony"
    findings = [Finding(f.code, f.severity, f.message, file=name, where=f.where) for f in doc.findings]
    pii = scan_pii(blocks, doc.properties, employer, staff_names=[apprentice or ""])
    findings += _per_file_findings(doc, blocks, name, etype, tag.suggestions, readable, apprentice, employer, pii)
    # Quotes go into every output (reports, matrix, widget, cache): each value the detectors
    # found in this piece is masked wherever it appears, then the pattern fallback runs.
    suggestions = tuple(dataclasses.replace(s, quotes=tuple(
        dataclasses.replace(q, sentence=redact(pii.redactor.redact(q.sentence), doc.properties, employer))
        for q in s.quotes)) for s in tag.suggestions)
    norm = " ".join(re.findall(r"\w+", text.lower()))
    return EvidenceResult(
        file=name, sha256=sha256 or file_hash(path), kind=doc.kind, words=count_words(text), type=etype,
        type_confidence=tag.evidence_type.confidence if tag.evidence_type else 0.0,
        suggestions=suggestions, cited=tag.cited, cited_not_evidenced=tag.cited_not_evidenced,
        findings=tuple(findings), readable=readable,
        text_hash=hashlib.sha256(norm.encode()).hexdigest() if norm else "",
        signature=minhash(text), pages=doc.metadata.pages)
