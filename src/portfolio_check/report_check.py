"""Check a project report against a standard's word limit: the breakdown, verdict and findings."""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from .models import Document, Finding, ReportCheck, SectionResult, Severity
from .standards import ReportLimit, Standard
from .wordcount import PARTS, ReportParts, split_report

# PC2xx: length
OVER_LIMIT = "PC201"
UNDER_LIMIT = "PC202"
STATED_MISMATCH = "PC203"
NO_BODY = "PC204"
PROPOSAL_OVER = "PC205"
NO_LIMIT = "PC206"

STATED_TOLERANCE_PCT = 1.0   # a stated count within 1% of ours is "the same" (rounding, a last edit)


def check_report(doc: Document, standard: Standard, policy: str | None = None) -> ReportCheck:
    name = Path(doc.path).name   # native path rules: backslashes on Windows too
    parts = split_report(doc)
    limit = standard.report_limit(policy)
    findings = list(doc.findings)
    counts = limit.counts if limit else ("body_text", "body_tables")
    assessed = parts.total(counts)
    within: bool | None = None
    if limit is None:
        findings.append(Finding(NO_LIMIT, Severity.INFO, f"{standard.code} sets no report word limit.", file=name))
    elif assessed == 0:
        within = False
        findings.append(Finding(NO_BODY, Severity.ERROR,
                                f"{name}: no body text was found to count (0 words), so the limit cannot be checked.",
                                file=name))
    else:
        within = limit.within(assessed)
        band = (f"{limit.min_words:,}-{limit.max_words:,}" if limit.min_words is not None
                else f"at most {limit.max_words:,}")
        if not within and assessed > limit.max_words:
            findings.append(Finding(OVER_LIMIT, Severity.ERROR,
                                    f"{name}: {assessed:,} assessed words is over the limit ({band}) by "
                                    f"{assessed - limit.max_words:,}.", file=name))
        elif not within:
            findings.append(Finding(UNDER_LIMIT, Severity.ERROR,
                                    f"{name}: {assessed:,} assessed words is under the limit ({band}) by "
                                    f"{limit.min_words - assessed:,}.", file=name))
    stated = parts.stated_word_count
    if stated is not None and assessed:
        diff = stated - assessed
        if abs(diff) > max(1, assessed * STATED_TOLERANCE_PCT / 100):
            findings.append(Finding(STATED_MISMATCH, Severity.WARNING,
                                    f"{name}: the title page states {stated:,} words but the assessed parts "
                                    f"count {assessed:,} ({diff:+,}).", file=name))
    return ReportCheck(file=name, parts=parts, assessed=assessed, limit=limit, within=within,
                       findings=tuple(findings))


def check_report_with_sections(doc: Document, standard: Standard, engine, policy: str | None = None) -> ReportCheck:
    """The limit check plus, when the standard has a report method, KSB suggestions per section."""
    check = check_report(doc, standard, policy)
    if standard.report_method:
        sections, missing = tag_report_sections(check.parts, engine, standard)
        check = dataclasses.replace(check, sections=sections, ksbs_missing=missing)
    return check


def tag_report_sections(parts: ReportParts, engine, standard: Standard) -> tuple[tuple[SectionResult, ...], tuple[str, ...]]:
    """Suggestions per body section and the report-method KSBs no section evidences."""
    sections = []
    covered: set[str] = set()
    method_codes = [k.code for k in standard.ksbs_for_method(standard.report_method)]
    for sec in parts.sections:
        result = engine.tag_blocks(sec.blocks, context="report")
        covered |= {s.ksb for s in result.suggestions if s.accepted}
        sections.append(SectionResult(sec.heading, sec.words, tuple(result.suggestions),
                                      tuple(result.cited_not_evidenced)))
    return tuple(sections), tuple(c for c in method_codes if c not in covered)
