"""The gateway rules, one small function each, every parameter read from the standard."""
from __future__ import annotations

import dataclasses
import datetime as dt

from ..models import Finding, Severity
from . import ApprenticeContext, CheckResult, check


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from ``start`` to ``end`` (12 months from 2023-09-11 is 2024-09-11)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day:
        months -= 1
    return months


@check("PC500", "apprentice record")
def record_problems(ctx: ApprenticeContext) -> list[CheckResult]:
    rec = ctx.folder.record
    out = []
    for problem in rec.problems:
        out.append(CheckResult(Finding("PC500", Severity.ERROR, f"{ctx.folder.id}: apprentice.yaml: {problem}.",
                                       file="apprentice.yaml")))
    if ctx.folder.id_differs:
        out.append(CheckResult(Finding("PC590", Severity.INFO,
                                       f"{ctx.folder.id}: apprentice.yaml gives id {ctx.folder.id} but the folder is "
                                       f"named {ctx.folder.folder_name}; decisions are kept under the id.",
                                       file="apprentice.yaml")))
    if rec.standard and rec.standard != ctx.standard.code:
        out.append(CheckResult(Finding("PC500", Severity.WARNING,
                                       f"{ctx.folder.id}: apprentice.yaml names standard {rec.standard} but the scan "
                                       f"used {ctx.standard.code}.", file="apprentice.yaml")))
    return out


@check("PC301", "evidence count")
def evidence_count(ctx: ApprenticeContext) -> list[CheckResult]:
    port = ctx.standard.gateway["portfolio"]
    n = len(ctx.evidence)
    lo, hi = port["min_pieces"], port["max_pieces"]
    if lo is not None and n < lo:
        return [CheckResult(Finding("PC301", Severity.ERROR,
                                    f"{ctx.folder.id}: {n} pieces of evidence; at least {lo} are needed."),
                            f"evidence_count_low:{n}")]
    if hi is not None and n > hi:
        return [CheckResult(Finding("PC302", Severity.ERROR,
                                    f"{ctx.folder.id}: {n} pieces of evidence; at most {hi} are allowed."),
                            f"evidence_count_high:{n}")]
    return []


@check("PC401", "KSB coverage")
def ksb_coverage(ctx: ApprenticeContext) -> list[CheckResult]:
    required = list(ctx.standard.portfolio_ksbs)
    missing = [k for k in required if not ctx.coverage.get(k)]
    out = []
    if missing:
        out.append(CheckResult(Finding("PC401", Severity.ERROR,
                                       f"{ctx.folder.id}: no piece evidences {' '.join(missing)} "
                                       f"({ctx.standard.portfolio_method} KSBs must each be evidenced at least once)."),
                               f"ksb_uncovered:{' '.join(missing)}"))
    for ev in ctx.evidence:
        for code in ev.cited_not_evidenced:
            out.append(CheckResult(Finding("PC402", Severity.WARNING,
                                           f"{ev.file} cites {code} but does not evidence it clearly enough to count.",
                                           file=ev.file)))
    return out


@check("PC210", "proposal length")
def proposal_length(ctx: ApprenticeContext) -> list[CheckResult]:
    limit = ctx.standard.proposal_max_words
    if limit is None:
        return []
    if ctx.proposal is None:
        return [CheckResult(Finding("PC211", Severity.WARNING,
                                    f"{ctx.folder.id}: no project proposal found in project/ (the brief is due at gateway)."))]
    words = ctx.proposal.words
    if words is not None and words > limit:
        return [CheckResult(Finding("PC210", Severity.ERROR,
                                    f"{ctx.proposal.file}: the proposal has {words} words; the limit is {limit}.",
                                    file=ctx.proposal.file), f"proposal_over_limit:{words}")]
    return []


@check("PC201", "report length")
def report_length(ctx: ApprenticeContext) -> list[CheckResult]:
    if not ctx.report:
        return []
    return [CheckResult(dataclasses.replace(f, file=ctx.report.file))
            for f in ctx.report.findings if f.code.startswith("PC2")]


@check("PC601", "personal data")
def personal_data(ctx: ApprenticeContext) -> list[CheckResult]:
    out = []
    for ev in ctx.evidence:
        hits = [f for f in ev.findings if f.code.startswith("PC6")]
        for i, f in enumerate(hits):
            out.append(CheckResult(f, f"pii:{ev.file}" if i == 0 else None))
    return out


@check("PC501", "witness testimony sign-off")
def witness(ctx: ApprenticeContext) -> list[CheckResult]:
    out = []
    for ev in ctx.evidence:
        for f in ev.findings:
            if f.code in ("PC501", "PC502"):
                out.append(CheckResult(f, f"witness_incomplete:{ev.file}"))
            elif f.code == "PC503":
                out.append(CheckResult(f))
    return out


@check("PC701", "duplicates")
def duplicates(ctx: ApprenticeContext) -> list[CheckResult]:
    out = []
    for file, other, kind in ctx.duplicates:
        if kind == "exact":
            msg = f"{file} is the same evidence as {other}."
            code = "PC701"
        else:
            msg = f"{file} is nearly the same text as {other} (near-duplicate)."
            code = "PC702"
        out.append(CheckResult(Finding(code, Severity.ERROR, msg, file=file), f"duplicate:{file}"))
    return out


@check("PC101", "unreadable evidence")
def unreadable(ctx: ApprenticeContext) -> list[CheckResult]:
    out = []
    for ev in ctx.evidence:
        reading = [f for f in ev.findings if f.code.startswith("PC1")]
        for i, f in enumerate(reading):
            reason = f"unreadable:{ev.file}" if (not ev.readable and i == 0) else None
            out.append(CheckResult(f, reason))
    return out


@check("PC703", "authenticity and relevance")
def authenticity(ctx: ApprenticeContext) -> list[CheckResult]:
    return [CheckResult(f) for ev in ctx.evidence for f in ev.findings if f.code in ("PC403", "PC703", "PC704")]


@check("PC506", "English and maths")
def english_maths(ctx: ApprenticeContext) -> list[CheckResult]:
    rec = ctx.folder.record
    gw = ctx.standard.gateway
    out = []
    if gw.get("english_level") and rec.english_l2 is False:
        out.append(CheckResult(Finding("PC506", Severity.ERROR,
                                       f"{ctx.folder.id}: English at level {gw['english_level']} is not recorded as achieved."),
                               "english_missing"))
    if gw.get("maths_level") and rec.maths_l2 is False:
        out.append(CheckResult(Finding("PC507", Severity.ERROR,
                                       f"{ctx.folder.id}: maths at level {gw['maths_level']} is not recorded as achieved."),
                               "maths_missing"))
    return out


@check("PC504", "declaration")
def declaration(ctx: ApprenticeContext) -> list[CheckResult]:
    if ctx.standard.gateway.get("declaration_required") and ctx.folder.record.declaration_signed is False:
        return [CheckResult(Finding("PC504", Severity.ERROR,
                                    f"{ctx.folder.id}: the gateway declaration is not signed."), "declaration_unsigned")]
    return []


@check("PC505", "time on programme")
def on_programme(ctx: ApprenticeContext) -> list[CheckResult]:
    need = ctx.standard.gateway.get("on_programme_months")
    start = ctx.folder.record.start_date
    if not need or start is None:
        return []
    months = months_between(start, ctx.as_of)
    if months < need:
        return [CheckResult(Finding("PC505", Severity.ERROR,
                                    f"{ctx.folder.id}: {months} months on programme at {ctx.as_of.isoformat()}; "
                                    f"{need} are needed (from {start.isoformat()})."), "on_programme_short")]
    return []
