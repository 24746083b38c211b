"""File-scope rules: what one piece shows on its own (personal data, sign-off, what kind of
piece it is, whether it evidences anything). They run inside the analysis of the piece, so
their findings are cached with it; rules that need the apprentice's dates run later, at
apprentice scope, on the facts recorded here (the piece's date, its sign-off).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..models import Attestation, Block, Document, Finding, Severity
from .registry import check


@dataclass(frozen=True)
class FileContext:
    doc: Document
    blocks: tuple[Block, ...]
    name: str
    etype: str
    suggestions: tuple[Any, ...]
    readable: bool
    apprentice: str | None
    employer: str | None
    pii: Any                                   # checks.pii.PiiScan
    attestation: Attestation | None = None
    witness_requires: tuple[str, ...] = ("signature", "date", "job_title")
    observation_requires: tuple[str, ...] = ("observer", "date", "observer_role")
    labels: dict[str, str] = field(default_factory=dict, hash=False, compare=False)   # kind -> label


@check("PC601", "PC602", "PC603", "PC604", "PC605", "PC606", scope="file", name="personal data")
def personal_data(ctx: FileContext):
    for hit in ctx.pii.hits:
        yield Finding(hit.code, Severity.ERROR,
                      f"{ctx.name}: {ctx.labels.get(hit.kind, hit.kind)} that looks like a customer's is not anonymised "
                      f"({hit.masked}, {hit.where}).", file=ctx.name, where=hit.where)


@check("PC501", "PC502", "PC503", scope="file", name="witness testimony sign-off",
       params=("gateway.witness_testimony.requires",))
def witness_sign_off(ctx: FileContext):
    if ctx.etype != "witness_testimony":
        return
    if ctx.doc.is_scan:
        read = " Its printed text was read by OCR for the KSB suggestions." if ctx.doc.ocr_pages else ""
        yield Finding("PC503", Severity.WARNING,
                      f"{ctx.name}: a scanned witness testimony; its signature, date and job title cannot be "
                      f"checked automatically. Check the scan by eye.{read}", file=ctx.name)
        return
    if not ctx.readable:
        # Still blocks (a sign-off that cannot be seen is not met), but say why: the file could
        # not be read, not "it has no signature", which would send the tutor to chase a witness.
        yield Finding("PC501", Severity.ERROR,
                      f"{ctx.name}: the witness testimony could not be read, so its signature, date and job title "
                      "could not be checked; ask for a copy that opens.", file=ctx.name)
        return
    att = ctx.attestation
    if att is None:
        return
    missing = att.missing(ctx.witness_requires)
    if missing:
        yield Finding("PC501", Severity.ERROR, f"{ctx.name}: the witness testimony has no {' and no '.join(missing)}.",
                      file=ctx.name)
    if ctx.apprentice and att.witness_name and att.witness_name.strip().lower() == ctx.apprentice.strip().lower():
        yield Finding("PC502", Severity.ERROR,
                      f"{ctx.name}: the witness named is the apprentice; a testimony must be written by someone else.",
                      file=ctx.name)


@check("PC510", scope="file", name="observation record", params=("gateway.observation.requires",))
def observation_record(ctx: FileContext):
    if ctx.etype != "observation_record" or ctx.attestation is None or ctx.doc.is_scan:
        return
    att = ctx.attestation
    parts = {"observer": ("observer's name or signature", att.signature or bool(att.witness_name)),
             "date": ("date", att.date), "observer_role": ("observer's role", att.job_title)}
    missing = [parts[r][0] for r in ctx.observation_requires if r in parts and not parts[r][1]]
    if missing:
        yield Finding("PC510", Severity.WARNING, f"{ctx.name}: the observation record has no {' and no '.join(missing)}.",
                      file=ctx.name)


@check("PC703", "PC704", scope="file", name="authenticity and relevance")
def authenticity(ctx: FileContext):
    if ctx.etype == "policy_document":
        yield Finding("PC703", Severity.WARNING,
                      f"{ctx.name} reads as a policy or procedure document, not the apprentice's own work: "
                      "it evidences what the organisation says, not what the apprentice did.", file=ctx.name)
    if ctx.etype == "training_certificate":
        yield Finding("PC704", Severity.INFO,
                      f"{ctx.name} is a certificate: it shows training was completed, not what was learned or applied.",
                      file=ctx.name)


@check("PC403", scope="file", name="evidences no KSB")
def evidences_nothing(ctx: FileContext):
    if ctx.readable and not ctx.doc.image_only_pages and not any(s.accepted for s in ctx.suggestions):
        yield Finding("PC403", Severity.WARNING,
                      f"{ctx.name} does not clearly evidence any KSB; check it belongs in the portfolio.", file=ctx.name)
