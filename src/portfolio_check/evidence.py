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

import numpy as np

if TYPE_CHECKING:
    from .tagging.engine import TaggingEngine

from . import codes
from .budget import MAX_TAG_CHARS, OverBudget
from .checks import registry
from .checks.file_rules import FileContext
from .checks.pii import KIND_LABEL, redact, scan_pii
from .checks.witness import attestation
from .dating import piece_date
from .digest import file_sha256
from .models import Attestation, EvidenceResult, Finding, PieceDate, Role
from .wordcount import count_words

ANALYSIS_VERSION = "10"         # bump when anything below changes what a cached result holds
SHINGLE = 5
N_HASHES = 64
_PRIME = (1 << 61) - 1
# Hash functions (a*x + b) mod p with a and b spread over the whole field: with small a the
# products never wrap, every function picks the same (smallest) shingle and two texts sharing
# one shingle looked identical. Derived deterministically so signatures are stable across runs.
_SEEDS = [(int.from_bytes(hashlib.sha256(f"a{i}".encode()).digest()[:8], "big") % (_PRIME - 1) + 1,
           int.from_bytes(hashlib.sha256(f"b{i}".encode()).digest()[:8], "big") % _PRIME) for i in range(N_HASHES)]
_SEED_A = np.array([a for a, _ in _SEEDS], dtype=np.uint64)[:, None]
_SEED_B = np.array([b for _, b in _SEEDS], dtype=np.uint64)[:, None]
_P61 = np.uint64(_PRIME)
_MASK32 = np.uint64((1 << 32) - 1)
_MASK29 = np.uint64((1 << 29) - 1)
# A file with one of these could not be read at all: the catalogue's "unreadable" codes.
READ_ERRORS = frozenset(c.code for c in codes.CATALOGUE if c.reason == "unreadable")


file_hash = file_sha256      # the name the scan, the API and the decision log use


def minhash(text: str) -> tuple[int, ...]:
    """MinHash signature of word 5-shingles, for near-duplicate detection across a cohort."""
    words = re.findall(r"\w+", text.lower())
    if len(words) < SHINGLE:
        return ()
    shingles = {zlib.crc32(" ".join(words[i:i + SHINGLE]).encode()) for i in range(len(words) - SHINGLE + 1)}
    return tuple(int(v) for v in _universal_hashes(np.fromiter(shingles, np.uint64, len(shingles))).min(axis=1))


def _universal_hashes(shingles: "np.ndarray") -> "np.ndarray":
    """``(a * s + b) mod (2**61 - 1)`` for every seed (rows) and 32-bit shingle (columns), exactly.

    The products need 93 bits, so they are built in uint64 from 32-bit halves, using
    2**61 = 1 (mod p): the same integers the plain Python expression gives, at numpy speed
    (a Python loop over 64 hashes x every shingle was a tenth of a cold scan's time)."""
    s = shingles[None, :]
    low = (_SEED_A & _MASK32) * s                      # < 2**64
    high = (_SEED_A >> np.uint64(32)) * s              # < 2**61
    # high * 2**32 = (high mod 2**29) * 2**32 + (high >> 29) * 2**61 = ... + (high >> 29) (mod p)
    high = ((high & _MASK29) << np.uint64(32)) + (high >> np.uint64(29))
    low = (low & _P61) + (low >> np.uint64(61))
    total = low + high + _SEED_B                       # < 2**64
    total = (total & _P61) + (total >> np.uint64(61))  # < p + 8
    return np.where(total >= _P61, total - _P61, total)


def masked_quotes(suggestions, pii, doc, employer: str | None) -> tuple:
    """``suggestions`` with their quotes' personal data masked. Quotes go into every output
    (reports, matrix, widget, cache, the ``tag`` command): each value the detectors found in this
    piece is masked wherever it appears, then the pattern fallback runs."""
    return tuple(dataclasses.replace(s, quotes=tuple(
        dataclasses.replace(q, sentence=redact(pii.redactor.redact(q.sentence), doc.properties, employer))
        for q in s.quotes)) for s in suggestions)


def analyse_file(path: Path, name: str, engine: "TaggingEngine", apprentice: str | None = None,
                 employer: str | None = None, sha256: str | None = None,
                 witness_requires: tuple[str, ...] | None = None) -> EvidenceResult:
    """Parse, tag and run the file-scope checks on one evidence file. Never raises for bad input.

    ``witness_requires`` is the standard's ``gateway.witness_testimony.requires`` (default:
    the tagging engine's standard's)."""
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
    att = None
    if etype in ("witness_testimony", "observation_record"):
        # A scanned form's sign-off is handwriting: never read from OCR text (PC503 asks the tutor).
        att = Attestation(False, False, False, scanned=True) if doc.is_scan else attestation(list(doc.blocks))
    if witness_requires is None:
        witness_requires = engine.standard.witness_requires
    ctx = FileContext(doc=doc, blocks=tuple(blocks), name=name, etype=etype, suggestions=tag.suggestions,
                      readable=readable, apprentice=apprentice, employer=employer, pii=pii, attestation=att,
                      witness_requires=tuple(witness_requires),
                      observation_requires=engine.standard.observation_requires, labels=KIND_LABEL)
    findings += [h.finding for h in registry.run("file", ctx)]
    dated = piece_date(doc)
    suggestions = masked_quotes(tag.suggestions, pii, doc, employer)
    norm = " ".join(re.findall(r"\w+", text.lower()))
    return EvidenceResult(
        file=name, sha256=sha256 or file_hash(path), kind=doc.kind, words=count_words(text), type=etype,
        type_confidence=tag.evidence_type.confidence if tag.evidence_type else 0.0,
        suggestions=suggestions, cited=tag.cited, cited_not_evidenced=tag.cited_not_evidenced,
        findings=tuple(findings), readable=readable,
        text_hash=hashlib.sha256(norm.encode()).hexdigest() if norm else "",
        signature=minhash(text), pages=doc.metadata.pages,
        date=PieceDate(dated.date.isoformat(), dated.source) if dated else None,
        # An e-mail's "author" is its sender, often the customer: never kept.
        author=(doc.metadata.author or None) if doc.kind != "email" else None, attestation=att)


class UntaggedEngine:
    """Stands in for the tagging engine when a standard has no tagger data yet: pieces still get
    their evidence type and every gateway check runs; nothing is suggested, so coverage rests on
    the tutor's decisions alone (and uncovered KSBs say so). Better than a crash, never a pass."""

    def __init__(self, standard, config=None):
        self.standard = standard
        self.config = config

    def tag_document(self, doc, context: str = "portfolio", file_name: str | None = None):
        from .tagging import TagResult
        from .tagging.evidence_type import classify
        return TagResult((), evidence_type=classify(doc, file_name))

    def tag_blocks(self, blocks, context: str = "portfolio"):
        from .tagging import TagResult
        return TagResult(())


def make_engine(standard, config=None):
    """The tagging engine for a standard, or :class:`UntaggedEngine` when it has no tagger data."""
    from .tagging.engine import TaggingEngine
    try:
        return TaggingEngine(standard, config)
    except FileNotFoundError:
        return UntaggedEngine(standard, config)
